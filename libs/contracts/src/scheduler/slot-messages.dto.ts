/**
 * The slot lock protocol between a monitor and a sensor (request, grant, deny, release)
 * and the slot reference the Timetable algorithm adds to it. Field rules follow the core:
 * fencing tokens start at 1 (the first INCR), attempts at 0 (the first copy), and a
 * priority may be NEVER_MEASURED, which is Number.MAX_SAFE_INTEGER and so still an integer.
 */
import type {
  DenyReason,
  SlotGrant,
  SlotRef,
  SlotRelease,
  SlotDeny,
  SlotRequest,
} from '@meshmon/scheduling';
import {
  IsIntAtLeast,
  IsLiteral,
  IsNodeName,
  IsNumberAtLeast,
  IsOneOf,
  IsToken,
  Nested,
  Optional,
} from '../validation/rules.js';

export const DENY_REASONS: readonly DenyReason[] = [
  'not-sensor',
  'busy',
  'lower-priority',
  'slot-passed',
  'view-mismatch',
  'not-expected',
];

export class SlotRefV1 implements SlotRef {
  @IsToken() readonly viewId!: string;
  @IsIntAtLeast(0) readonly cycle!: number;
  @IsIntAtLeast(0) readonly slot!: number;
}

export class SlotRequestV1 implements SlotRequest {
  @IsLiteral('slot-request') readonly type!: 'slot-request';
  @IsToken() readonly requestId!: string;
  @IsNodeName() readonly monitor!: string;
  @IsIntAtLeast(0) readonly priority!: number;
  @IsIntAtLeast(0) readonly attempt!: number;
  @Optional() @Nested(() => SlotRefV1) readonly slot?: SlotRefV1;
}

export class SlotGrantV1 implements SlotGrant {
  @IsLiteral('slot-grant') readonly type!: 'slot-grant';
  @IsToken() readonly requestId!: string;
  @IsNodeName() readonly sensor!: string;
  @IsIntAtLeast(1) readonly fencingToken!: number;
  @IsNumberAtLeast(0) readonly leaseMs!: number;
  @IsIntAtLeast(0) readonly attempt!: number;
}

export class SlotDenyV1 implements SlotDeny {
  @IsLiteral('slot-deny') readonly type!: 'slot-deny';
  @IsToken() readonly requestId!: string;
  @IsNodeName() readonly sensor!: string;
  @IsOneOf(DENY_REASONS) readonly reason!: DenyReason;
  @Optional() @IsNumberAtLeast(0) readonly retryAfterMs?: number;
}

export class SlotReleaseV1 implements SlotRelease {
  @IsLiteral('slot-release') readonly type!: 'slot-release';
  @IsToken() readonly requestId!: string;
  @IsNodeName() readonly monitor!: string;
  @IsIntAtLeast(1) readonly fencingToken!: number;
}

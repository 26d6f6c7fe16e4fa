/** The Timetable algorithm's slot assignments, offers and reports. */
import type {
  SlotAssignment,
  SlotDone,
  SlotOffer,
  SlotOutcome,
  SlotPassed,
} from '@meshmon/scheduling';
import { IsLiteral, IsNodeName, IsOneOf, Nested } from '../validation/rules.js';
import { ROLE_MODULES } from './role-messages.dto.js';
import { SlotRefV1 } from './slot-messages.dto.js';

export const SLOT_OUTCOMES: readonly SlotOutcome[] = ['measured', 'skipped', 'timeout'];

export class SlotAssignmentV1 implements SlotAssignment {
  @IsLiteral('slot-assign') readonly type!: 'slot-assign';
  @Nested(() => SlotRefV1) readonly slot!: SlotRefV1;
  @IsNodeName() readonly partner!: string;
}

export class SlotDoneV1 implements SlotDone {
  @IsLiteral('slot-done') readonly type!: 'slot-done';
  @IsOneOf(ROLE_MODULES) readonly module!: 'sensor' | 'monitor';
  @Nested(() => SlotRefV1) readonly slot!: SlotRefV1;
  @IsOneOf(SLOT_OUTCOMES) readonly outcome!: SlotOutcome;
}

export class SlotOfferV1 implements SlotOffer {
  @IsLiteral('slot-offer') readonly type!: 'slot-offer';
  @IsNodeName() readonly sensor!: string;
  @Nested(() => SlotRefV1) readonly slot!: SlotRefV1;
}

export class SlotPassedV1 implements SlotPassed {
  @IsLiteral('slot-passed') readonly type!: 'slot-passed';
  @IsNodeName() readonly monitor!: string;
  @Nested(() => SlotRefV1) readonly slot!: SlotRefV1;
}

/**
 * What the services report on `…events.<type>`: the scheduling core's SchedulerEvents as
 * the machines emit them, plus a few the services add around the core (probe failures,
 * lease refusals, refused messages, start and stop).
 */
import { ALGORITHM_NAMES, type AlgorithmName, type SchedulerEvent } from '@meshmon/scheduling';
import { ProblemV1, MAX_PROBLEMS_ON_WIRE } from '../errors/error-reply.dto.js';
import { MAX_ERROR_MESSAGE_LENGTH } from '../errors/error-codes.js';
import type { Problem } from '../validation/problem.js';
import {
  IsCode,
  IsIntAtLeast,
  IsLiteral,
  IsNodeName,
  IsOneOf,
  IsText,
  IsToken,
  NestedList,
} from '../validation/rules.js';
import { unionOf } from '../validation/shape.js';
import { ROLE_MODULES } from '../scheduler/role-messages.dto.js';

/** The monitor's probe failed (the failed result is published as well). */
export interface ProbeFailedEvent {
  readonly type: 'probe-failed';
  readonly monitor: string;
  readonly sensor: string;
  readonly measurementId: string;
  readonly code: string;
  readonly message: string;
}

/** A lease or fencing check refused a measurement (by the monitor's Redis call or the sensor). */
export interface LeaseDeniedEvent {
  readonly type: 'lease-denied';
  readonly monitor: string;
  readonly sensor: string;
  readonly measurementId: string;
  readonly reason: string;
}

/** A service dropped or refused an inbound message (details also go to `events.error`). */
export interface InvalidMessageEvent {
  readonly type: 'invalid-message';
  readonly subject: string;
  readonly problems: readonly Problem[];
}

export interface ServiceStartedEvent {
  readonly type: 'service-started';
}

export interface ServiceStoppingEvent {
  readonly type: 'service-stopping';
}

/** A service switched to a scheduler run ordered on `control.scheduler`. */
export interface SchedulerStartedEvent {
  readonly type: 'scheduler-started';
  readonly runId: string;
  readonly algorithm: AlgorithmName;
}

/** A service stood its scheduler down (its machine is gone until the next start). */
export interface SchedulerStoppedEvent {
  readonly type: 'scheduler-stopped';
  readonly runId: string;
}

export const INTENT_SOURCES = ['manual', 'discovered'] as const;
export type IntentSource = (typeof INTENT_SOURCES)[number];

/** A pair came into scope (by hand through the gateway, or from flows a controller saw). */
export interface IntentAddedEvent {
  readonly type: 'intent-added';
  readonly monitor: string;
  readonly sensor: string;
  readonly source: IntentSource;
}

export interface IntentRemovedEvent {
  readonly type: 'intent-removed';
  readonly monitor: string;
  readonly sensor: string;
  readonly source: IntentSource;
}

export type ServiceEvent =
  | SchedulerEvent
  | ProbeFailedEvent
  | LeaseDeniedEvent
  | InvalidMessageEvent
  | ServiceStartedEvent
  | ServiceStoppingEvent
  | SchedulerStartedEvent
  | SchedulerStoppedEvent
  | IntentAddedEvent
  | IntentRemovedEvent;

export type ServiceEventType = ServiceEvent['type'];

type EventOf<Type extends ServiceEventType> = Extract<ServiceEvent, { type: Type }>;

// ---- the core's events ----------------------------------------------------------------

export class RoleSwitchedEventV1 implements EventOf<'role-switched'> {
  @IsLiteral('role-switched') readonly type!: 'role-switched';
  @IsNodeName() readonly node!: string;
  @IsOneOf(ROLE_MODULES) readonly role!: 'monitor' | 'sensor';
}

export class SlotGrantedEventV1 implements EventOf<'slot-granted'> {
  @IsLiteral('slot-granted') readonly type!: 'slot-granted';
  @IsNodeName() readonly sensor!: string;
  @IsNodeName() readonly monitor!: string;
  @IsIntAtLeast(1) readonly fencingToken!: number;
}

export class SlotDeniedEventV1 implements EventOf<'slot-denied'> {
  @IsLiteral('slot-denied') readonly type!: 'slot-denied';
  @IsNodeName() readonly sensor!: string;
  @IsNodeName() readonly monitor!: string;
  @IsText(200) readonly reason!: string;
}

export class LeaseExpiredEventV1 implements EventOf<'lease-expired'> {
  @IsLiteral('lease-expired') readonly type!: 'lease-expired';
  @IsNodeName() readonly sensor!: string;
  @IsNodeName() readonly monitor!: string;
  @IsIntAtLeast(1) readonly fencingToken!: number;
}

export class RequestTimeoutEventV1 implements EventOf<'request-timeout'> {
  @IsLiteral('request-timeout') readonly type!: 'request-timeout';
  @IsNodeName() readonly monitor!: string;
  @IsNodeName() readonly sensor!: string;
}

export class MemberJoinedEventV1 implements EventOf<'member-joined'> {
  @IsLiteral('member-joined') readonly type!: 'member-joined';
  @IsNodeName() readonly node!: string;
  @IsNodeName() readonly member!: string;
}

export class MemberRemovedEventV1 implements EventOf<'member-removed'> {
  @IsLiteral('member-removed') readonly type!: 'member-removed';
  @IsNodeName() readonly node!: string;
  @IsNodeName() readonly member!: string;
  @IsOneOf(['left', 'liveness']) readonly reason!: 'left' | 'liveness';
}

export class TokenRegeneratedEventV1 implements EventOf<'token-regenerated'> {
  @IsLiteral('token-regenerated') readonly type!: 'token-regenerated';
  @IsNodeName() readonly node!: string;
  @IsIntAtLeast(0) readonly generation!: number;
}

export class GraceExpiredEventV1 implements EventOf<'grace-expired'> {
  @IsLiteral('grace-expired') readonly type!: 'grace-expired';
  @IsNodeName() readonly node!: string;
  @IsOneOf(ROLE_MODULES) readonly module!: 'sensor' | 'monitor';
}

// ---- the services' own events ---------------------------------------------------------

export class ProbeFailedEventV1 implements ProbeFailedEvent {
  @IsLiteral('probe-failed') readonly type!: 'probe-failed';
  @IsNodeName() readonly monitor!: string;
  @IsNodeName() readonly sensor!: string;
  @IsToken() readonly measurementId!: string;
  @IsCode() readonly code!: string;
  @IsText(MAX_ERROR_MESSAGE_LENGTH) readonly message!: string;
}

export class LeaseDeniedEventV1 implements LeaseDeniedEvent {
  @IsLiteral('lease-denied') readonly type!: 'lease-denied';
  @IsNodeName() readonly monitor!: string;
  @IsNodeName() readonly sensor!: string;
  @IsToken() readonly measurementId!: string;
  @IsText(200) readonly reason!: string;
}

export class InvalidMessageEventV1 implements InvalidMessageEvent {
  @IsLiteral('invalid-message') readonly type!: 'invalid-message';
  @IsText(256) readonly subject!: string;
  @NestedList(() => ProblemV1, MAX_PROBLEMS_ON_WIRE) readonly problems!: ProblemV1[];
}

export class ServiceStartedEventV1 implements ServiceStartedEvent {
  @IsLiteral('service-started') readonly type!: 'service-started';
}

export class ServiceStoppingEventV1 implements ServiceStoppingEvent {
  @IsLiteral('service-stopping') readonly type!: 'service-stopping';
}

export class SchedulerStartedEventV1 implements SchedulerStartedEvent {
  @IsLiteral('scheduler-started') readonly type!: 'scheduler-started';
  @IsToken() readonly runId!: string;
  @IsOneOf(ALGORITHM_NAMES) readonly algorithm!: AlgorithmName;
}

export class SchedulerStoppedEventV1 implements SchedulerStoppedEvent {
  @IsLiteral('scheduler-stopped') readonly type!: 'scheduler-stopped';
  @IsToken() readonly runId!: string;
}

export class IntentAddedEventV1 implements IntentAddedEvent {
  @IsLiteral('intent-added') readonly type!: 'intent-added';
  @IsNodeName() readonly monitor!: string;
  @IsNodeName() readonly sensor!: string;
  @IsOneOf(INTENT_SOURCES) readonly source!: IntentSource;
}

export class IntentRemovedEventV1 implements IntentRemovedEvent {
  @IsLiteral('intent-removed') readonly type!: 'intent-removed';
  @IsNodeName() readonly monitor!: string;
  @IsNodeName() readonly sensor!: string;
  @IsOneOf(INTENT_SOURCES) readonly source!: IntentSource;
}

export const SERVICE_EVENT_CLASSES: {
  readonly [Type in ServiceEventType]: new () => EventOf<Type>;
} = {
  'role-switched': RoleSwitchedEventV1,
  'slot-granted': SlotGrantedEventV1,
  'slot-denied': SlotDeniedEventV1,
  'lease-expired': LeaseExpiredEventV1,
  'request-timeout': RequestTimeoutEventV1,
  'member-joined': MemberJoinedEventV1,
  'member-removed': MemberRemovedEventV1,
  'token-regenerated': TokenRegeneratedEventV1,
  'grace-expired': GraceExpiredEventV1,
  'probe-failed': ProbeFailedEventV1,
  'lease-denied': LeaseDeniedEventV1,
  'invalid-message': InvalidMessageEventV1,
  'service-started': ServiceStartedEventV1,
  'service-stopping': ServiceStoppingEventV1,
  'scheduler-started': SchedulerStartedEventV1,
  'scheduler-stopped': SchedulerStoppedEventV1,
  'intent-added': IntentAddedEventV1,
  'intent-removed': IntentRemovedEventV1,
};

export const SERVICE_EVENT_TYPES = Object.keys(
  SERVICE_EVENT_CLASSES,
) as readonly ServiceEventType[];

export const SERVICE_EVENT_SHAPE = unionOf('type', SERVICE_EVENT_CLASSES);

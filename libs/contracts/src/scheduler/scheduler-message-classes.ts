/**
 * One validating class per SchedulerMessage `type`. The mapped type makes the compiler
 * insist on a class for every type the core adds, so a new message cannot be forgotten.
 */
import type { SchedulerMessage } from '@meshmon/scheduling';
import { unionOf, type UnionShape } from '../validation/shape.js';
import {
  GoodbyeV1,
  HelloV1,
  MembersUpdateV1,
  PingV1,
  PongV1,
  WelcomeV1,
} from './membership-messages.dto.js';
import {
  ModuleIdleV1,
  ModuleReadyV1,
  RoleCommandV1,
  RoundCompleteV1,
} from './role-messages.dto.js';
import { IntentsUpdateV1, PriorityOverrideV1 } from './scope-messages.dto.js';
import { SlotDenyV1, SlotGrantV1, SlotReleaseV1, SlotRequestV1 } from './slot-messages.dto.js';
import {
  SlotAssignmentV1,
  SlotDoneV1,
  SlotOfferV1,
  SlotPassedV1,
} from './timetable-messages.dto.js';
import { TokenAckV1, TokenHolderV1, TokenPassV1 } from './token-ring-messages.dto.js';

export type SchedulerMessageType = SchedulerMessage['type'];

export const SCHEDULER_MESSAGE_CLASSES: {
  readonly [Type in SchedulerMessageType]: new () => Extract<SchedulerMessage, { type: Type }>;
} = {
  'slot-request': SlotRequestV1,
  'slot-grant': SlotGrantV1,
  'slot-deny': SlotDenyV1,
  'slot-release': SlotReleaseV1,
  ping: PingV1,
  pong: PongV1,
  hello: HelloV1,
  welcome: WelcomeV1,
  goodbye: GoodbyeV1,
  'token-pass': TokenPassV1,
  'token-ack': TokenAckV1,
  'token-holder': TokenHolderV1,
  role: RoleCommandV1,
  'module-idle': ModuleIdleV1,
  'module-ready': ModuleReadyV1,
  members: MembersUpdateV1,
  'slot-assign': SlotAssignmentV1,
  'slot-done': SlotDoneV1,
  'slot-offer': SlotOfferV1,
  'slot-passed': SlotPassedV1,
  'round-complete': RoundCompleteV1,
  intents: IntentsUpdateV1,
  'priority-override': PriorityOverrideV1,
};

export const SCHEDULER_MESSAGE_TYPES = Object.keys(
  SCHEDULER_MESSAGE_CLASSES,
) as readonly SchedulerMessageType[];

export function isSchedulerMessageType(value: unknown): value is SchedulerMessageType {
  return typeof value === 'string' && Object.hasOwn(SCHEDULER_MESSAGE_CLASSES, value);
}

export const SCHEDULER_MESSAGE_SHAPE: UnionShape = unionOf('type', SCHEDULER_MESSAGE_CLASSES);

/**
 * The bodies published on `…events.<type>` (a ServiceEvent with who reported it) and on
 * `…events.error` (a message a service refused or an operation that failed). Events are
 * fire-and-forget: a receiver that cannot decode one drops it and reports that in turn.
 */
import { MAX_ERROR_MESSAGE_LENGTH } from '../errors/error-codes.js';
import { MAX_PROBLEMS_ON_WIRE, ProblemV1 } from '../errors/error-reply.dto.js';
import { SERVICE_NAMES, type ServiceName } from '../names.js';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded, Problem } from '../validation/problem.js';
import {
  IsClusterName,
  IsCode,
  IsLiteral,
  IsNodeName,
  IsNumberAtLeast,
  IsOneOf,
  IsText,
  NestedList,
} from '../validation/rules.js';
import { UnionFieldOf } from '../validation/shape.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { SERVICE_EVENT_SHAPE, type ServiceEvent } from './service-event.dto.js';

interface Reporter {
  readonly v: ContractVersion;
  readonly cluster: string;
  /** The node whose service reports. */
  readonly node: string;
  readonly service: ServiceName;
  /** The reporter's wall clock, ms since the epoch. */
  readonly atMs: number;
}

export interface SchedulerEventMessage extends Reporter {
  readonly event: ServiceEvent;
}

export interface ErrorEventMessage extends Reporter {
  /** The subject of the refused message, or of the operation that failed. */
  readonly subject: string;
  readonly code: string;
  readonly message: string;
  readonly problems: readonly Problem[];
}

export class SchedulerEventMessageV1 implements SchedulerEventMessage {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsClusterName() readonly cluster!: string;
  @IsNodeName() readonly node!: string;
  @IsOneOf(SERVICE_NAMES) readonly service!: ServiceName;
  @IsNumberAtLeast(0) readonly atMs!: number;
  @UnionFieldOf(() => SERVICE_EVENT_SHAPE) readonly event!: ServiceEvent;
}

export class ErrorEventMessageV1 implements ErrorEventMessage {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsClusterName() readonly cluster!: string;
  @IsNodeName() readonly node!: string;
  @IsOneOf(SERVICE_NAMES) readonly service!: ServiceName;
  @IsNumberAtLeast(0) readonly atMs!: number;
  @IsText(256) readonly subject!: string;
  @IsCode() readonly code!: string;
  @IsText(MAX_ERROR_MESSAGE_LENGTH) readonly message!: string;
  @NestedList(() => ProblemV1, MAX_PROBLEMS_ON_WIRE) readonly problems!: ProblemV1[];
}

export const SchedulerEventMessageContract = defineContract<SchedulerEventMessage>(
  'scheduler event',
  SchedulerEventMessageV1,
);

export const ErrorEventMessageContract = defineContract<ErrorEventMessage>(
  'error event',
  ErrorEventMessageV1,
);

export const decodeSchedulerEventMessage = (
  payload: Uint8Array | string,
): Decoded<SchedulerEventMessage> => decodeWith(SchedulerEventMessageContract, payload);

export const encodeSchedulerEventMessage = (message: SchedulerEventMessage): Uint8Array =>
  encodeWith(SchedulerEventMessageContract, message);

export const decodeErrorEventMessage = (payload: Uint8Array | string): Decoded<ErrorEventMessage> =>
  decodeWith(ErrorEventMessageContract, payload);

export const encodeErrorEventMessage = (message: ErrorEventMessage): Uint8Array =>
  encodeWith(ErrorEventMessageContract, message);

/**
 * Every scheduler message travels in an envelope naming its sender, because the core's
 * `receive(from, message, now)` needs the sender's address and NATS does not carry one.
 * `sentAtMs` is the sender's wall clock, for latency logging only: the core never
 * compares clocks of different nodes. `run` names the scheduler run the sender belongs
 * to (see control.scheduler): a receiver drops messages of another run, so machines of
 * two algorithms never talk while a start order spreads. Absent: a sender that predates
 * runs, treated as a run of its own.
 */
import type { Address, ModuleKind, SchedulerMessage } from '@meshmon/scheduling';
import { MODULE_KINDS } from '../names.js';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import {
  IsLiteral,
  IsNodeName,
  IsNumberAtLeast,
  IsOneOf,
  IsToken,
  Nested,
  Optional,
} from '../validation/rules.js';
import { UnionFieldOf } from '../validation/shape.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { SCHEDULER_MESSAGE_SHAPE } from './scheduler-message-classes.js';

export class AddressV1 implements Address {
  @IsNodeName() readonly node!: string;
  @IsOneOf(MODULE_KINDS) readonly module!: ModuleKind;
}

/** The envelope as it is on the wire. */
export interface SchedulerEnvelopeWire {
  readonly v: ContractVersion;
  readonly from: Address;
  readonly sentAtMs: number;
  readonly run?: string;
  readonly message: SchedulerMessage;
}

/** The envelope as decoded: ready for `machine.receive(from, message, now)`. */
export interface SchedulerEnvelope {
  readonly from: Address;
  readonly sentAtMs: number;
  readonly run: string | null;
  readonly message: SchedulerMessage;
}

export class SchedulerEnvelopeV1 implements SchedulerEnvelopeWire {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @Nested(() => AddressV1) readonly from!: AddressV1;
  @IsNumberAtLeast(0) readonly sentAtMs!: number;
  @Optional() @IsToken(64) readonly run?: string;
  @UnionFieldOf(() => SCHEDULER_MESSAGE_SHAPE) readonly message!: SchedulerMessage;
}

export const SchedulerEnvelopeContract = defineContract<SchedulerEnvelopeWire>(
  'scheduler envelope',
  SchedulerEnvelopeV1,
);

/** Never throws; problems name fields like `message.slot.cycle` or `from.node`. */
export function decodeSchedulerEnvelope(payload: Uint8Array | string): Decoded<SchedulerEnvelope> {
  const decoded = decodeWith(SchedulerEnvelopeContract, payload);
  if (!decoded.ok) return decoded;
  const { from, sentAtMs, run, message } = decoded.value;
  return { ok: true, value: { from, sentAtMs, run: run ?? null, message } };
}

/** Throws OutboundMessageError if the message breaks the contract (a bug on this side). */
export function encodeSchedulerEnvelope(
  from: Address,
  message: SchedulerMessage,
  sentAtMs: number,
  run: string | null = null,
): Uint8Array {
  return encodeWith(SchedulerEnvelopeContract, {
    v: CONTRACT_VERSION,
    from,
    sentAtMs,
    ...(run === null ? {} : { run }),
    message,
  });
}

/**
 * Every scheduler message travels in an envelope naming its sender, because the core's
 * `receive(from, message, now)` needs the sender's address and NATS does not carry one.
 * `sentAtMs` is the sender's wall clock, for latency logging only: the core never
 * compares clocks of different nodes.
 */
import type { Address, ModuleKind, SchedulerMessage } from '@meshmon/scheduling';
import { MODULE_KINDS } from '../names.js';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import { IsLiteral, IsNodeName, IsNumberAtLeast, IsOneOf, Nested } from '../validation/rules.js';
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
  readonly message: SchedulerMessage;
}

/** The envelope as decoded: ready for `machine.receive(from, message, now)`. */
export interface SchedulerEnvelope {
  readonly from: Address;
  readonly sentAtMs: number;
  readonly message: SchedulerMessage;
}

export class SchedulerEnvelopeV1 implements SchedulerEnvelopeWire {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @Nested(() => AddressV1) readonly from!: AddressV1;
  @IsNumberAtLeast(0) readonly sentAtMs!: number;
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
  const { from, sentAtMs, message } = decoded.value;
  return { ok: true, value: { from, sentAtMs, message } };
}

/** Throws OutboundMessageError if the message breaks the contract (a bug on this side). */
export function encodeSchedulerEnvelope(
  from: Address,
  message: SchedulerMessage,
  sentAtMs: number,
): Uint8Array {
  return encodeWith(SchedulerEnvelopeContract, { v: CONTRACT_VERSION, from, sentAtMs, message });
}

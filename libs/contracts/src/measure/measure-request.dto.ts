/**
 * `node.<monitor>.monitor.measure`: measure one sensor now (the gateway's
 * `POST /api/v1/measurements`). The monitor runs it under the same Redis lease rules
 * as a scheduled probe, on its own node and on the sensor: it waits up to `waitMs` for
 * both to be free and is refused (`busy`) after that, so it never overlaps another
 * measurement. The reply carries the result, which is also published as usual.
 */
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import { IsIntBetween, IsLiteral, IsNodeName, IsOneOf } from '../validation/rules.js';
import { unionOf, UnionFieldOf } from '../validation/shape.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { ErrorReplyV1, type ErrorReply } from '../errors/error-reply.dto.js';
import {
  MeasurementResultContract,
  PROBE_TOOLS,
  type MeasurementResult,
  type ProbeToolName,
} from '../results/measurement-result.dto.js';

/** Five minutes: longer than any probe plus a few busy sensors ahead of it. */
export const MAX_MEASURE_WAIT_MS = 300_000;

export interface MeasureRequest {
  readonly v: ContractVersion;
  readonly sensor: string;
  readonly tool: ProbeToolName;
  /** How long the monitor may wait for the sensor and itself to be free. */
  readonly waitMs: number;
}

export interface MeasureOk {
  readonly v: ContractVersion;
  readonly ok: true;
  readonly result: MeasurementResult;
}

export type MeasureReply = MeasureOk | ErrorReply;

export class MeasureRequestV1 implements MeasureRequest {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsNodeName() readonly sensor!: string;
  @IsOneOf(PROBE_TOOLS) readonly tool!: ProbeToolName;
  @IsIntBetween(0, MAX_MEASURE_WAIT_MS) readonly waitMs!: number;
}

export class MeasureOkV1 implements MeasureOk {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsLiteral(true) readonly ok!: true;
  @UnionFieldOf(() => MeasurementResultContract.shape) readonly result!: MeasurementResult;
}

export const MeasureRequestContract = defineContract<MeasureRequest>(
  'measure request',
  MeasureRequestV1,
);

export const MeasureReplyContract = defineContract<MeasureReply>(
  'measure reply',
  unionOf('ok', { true: MeasureOkV1, false: ErrorReplyV1 }),
);

export const decodeMeasureRequest = (payload: Uint8Array | string): Decoded<MeasureRequest> =>
  decodeWith(MeasureRequestContract, payload);

export const encodeMeasureRequest = (request: MeasureRequest): Uint8Array =>
  encodeWith(MeasureRequestContract, request);

export const decodeMeasureReply = (payload: Uint8Array | string): Decoded<MeasureReply> =>
  decodeWith(MeasureReplyContract, payload);

export const encodeMeasureReply = (reply: MeasureReply): Uint8Array =>
  encodeWith(MeasureReplyContract, reply);

/**
 * Monitor -> sensor, request-reply on `…node.<sensor>.sensor.server.stop`: the measurement
 * is over (or abandoned), stop its iperf3 server now rather than at its own timeout.
 * A failure is an ErrorReply (e.g. `not-found`), like every other request's.
 */
import { ErrorReplyV1, type ErrorReply } from '../errors/error-reply.dto.js';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import { IsLiteral, IsToken } from '../validation/rules.js';
import { unionOf } from '../validation/shape.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';

export interface ServerStopRequest {
  readonly v: ContractVersion;
  readonly measurementId: string;
}

export interface ServerStopOk {
  readonly v: ContractVersion;
  readonly ok: true;
}

export type ServerStopReply = ServerStopOk | ErrorReply;

export class ServerStopRequestV1 implements ServerStopRequest {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsToken() readonly measurementId!: string;
}

export class ServerStopOkV1 implements ServerStopOk {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsLiteral(true) readonly ok!: true;
}

export const ServerStopRequestContract = defineContract<ServerStopRequest>(
  'server stop request',
  ServerStopRequestV1,
);

export const ServerStopReplyContract = defineContract<ServerStopReply>(
  'server stop reply',
  unionOf('ok', { true: ServerStopOkV1, false: ErrorReplyV1 }),
);

export const decodeServerStopRequest = (payload: Uint8Array | string): Decoded<ServerStopRequest> =>
  decodeWith(ServerStopRequestContract, payload);

export const encodeServerStopRequest = (request: ServerStopRequest): Uint8Array =>
  encodeWith(ServerStopRequestContract, request);

export const decodeServerStopReply = (payload: Uint8Array | string): Decoded<ServerStopReply> =>
  decodeWith(ServerStopReplyContract, payload);

export const encodeServerStopReply = (reply: ServerStopReply): Uint8Array =>
  encodeWith(ServerStopReplyContract, reply);

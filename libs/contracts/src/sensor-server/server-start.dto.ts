/**
 * Monitor -> sensor, request-reply on `…node.<sensor>.sensor.server.start`: start an iperf3
 * server for one measurement. The sensor checks the fencing token and lease holder against
 * Redis before it starts anything, so a monitor whose lock lapsed cannot start a server.
 */
import { ErrorReplyV1, type ErrorReply } from '../errors/error-reply.dto.js';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import {
  IsIntAtLeast,
  IsIntBetween,
  IsIPv4,
  IsLiteral,
  IsNodeName,
  IsNumberAbove,
  IsOneOf,
  IsToken,
} from '../validation/rules.js';
import { unionOf } from '../validation/shape.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';

export const PROBE_PROTOCOLS = ['tcp', 'udp'] as const;
export type ProbeProtocol = (typeof PROBE_PROTOCOLS)[number];

export interface ServerStartRequest {
  readonly v: ContractVersion;
  readonly measurementId: string;
  readonly monitor: string;
  readonly fencingToken: number;
  /** The lease's random token in Redis, proving the monitor holds the sensor's lock. */
  readonly leaseHolder: string;
  readonly protocol: ProbeProtocol;
  /** How long the client will send; the server stops itself a little after. */
  readonly seconds: number;
}

export interface ServerStartOk {
  readonly v: ContractVersion;
  readonly ok: true;
  readonly host: string;
  readonly port: number;
}

export type ServerStartReply = ServerStartOk | ErrorReply;

export class ServerStartRequestV1 implements ServerStartRequest {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsToken() readonly measurementId!: string;
  @IsNodeName() readonly monitor!: string;
  @IsIntAtLeast(1) readonly fencingToken!: number;
  @IsToken() readonly leaseHolder!: string;
  @IsOneOf(PROBE_PROTOCOLS) readonly protocol!: ProbeProtocol;
  @IsNumberAbove(0) readonly seconds!: number;
}

export class ServerStartOkV1 implements ServerStartOk {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsLiteral(true) readonly ok!: true;
  @IsIPv4() readonly host!: string;
  @IsIntBetween(1, 65535) readonly port!: number;
}

export const ServerStartRequestContract = defineContract<ServerStartRequest>(
  'server start request',
  ServerStartRequestV1,
);

export const ServerStartReplyContract = defineContract<ServerStartReply>(
  'server start reply',
  unionOf('ok', { true: ServerStartOkV1, false: ErrorReplyV1 }),
);

export const decodeServerStartRequest = (
  payload: Uint8Array | string,
): Decoded<ServerStartRequest> => decodeWith(ServerStartRequestContract, payload);

export const encodeServerStartRequest = (request: ServerStartRequest): Uint8Array =>
  encodeWith(ServerStartRequestContract, request);

export const decodeServerStartReply = (payload: Uint8Array | string): Decoded<ServerStartReply> =>
  decodeWith(ServerStartReplyContract, payload);

export const encodeServerStartReply = (reply: ServerStartReply): Uint8Array =>
  encodeWith(ServerStartReplyContract, reply);

/**
 * `sink.stats` (request-reply): the result sink's counters since it started, in total and
 * per stream (results, events, samples), and whether InfluxDB accepted its last write. Any request body is answered.
 */
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import {
  customRule,
  IsBool,
  IsIntAtLeast,
  IsLiteral,
  IsNodeName,
  IsClusterName,
  IsNumberAtLeast,
  IsText,
  Nested,
} from '../validation/rules.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { MAX_ERROR_MESSAGE_LENGTH } from '../errors/error-codes.js';

export interface SinkCounters {
  /** Messages fetched from JetStream (a redelivered one counts again). */
  readonly received: number;
  /** Messages whose points InfluxDB accepted (then acknowledged). */
  readonly stored: number;
  readonly deadLettered: number;
  /** Failed InfluxDB (or dead-letter) attempts that were retried. */
  readonly retries: number;
  /** Batches written and acknowledged. */
  readonly batches: number;
}

export interface SinkStreamStats extends SinkCounters {
  readonly stream: string;
}

export interface SinkStats extends SinkCounters {
  readonly v: ContractVersion;
  readonly cluster: string;
  /** MESHMON_SINK_NAME of the answering sink. */
  readonly sink: string;
  readonly atMs: number;
  /** False from a failed write until the next accepted one. */
  readonly influxUp: boolean;
  /** The last InfluxDB or JetStream failure, or null if none since the start. */
  readonly lastError: string | null;
  readonly results: SinkStreamStats;
  readonly events: SinkStreamStats;
  readonly samples: SinkStreamStats;
}

const IsTextOrNull = (maxLength: number): PropertyDecorator =>
  customRule('isTextOrNull', (value) =>
    value === null || (typeof value === 'string' && value.length >= 1 && value.length <= maxLength)
      ? null
      : `must be a string of 1-${maxLength} characters or null`,
  );

abstract class SinkCountersV1 implements SinkCounters {
  @IsIntAtLeast(0) readonly received!: number;
  @IsIntAtLeast(0) readonly stored!: number;
  @IsIntAtLeast(0) readonly deadLettered!: number;
  @IsIntAtLeast(0) readonly retries!: number;
  @IsIntAtLeast(0) readonly batches!: number;
}

export class SinkStreamStatsV1 extends SinkCountersV1 implements SinkStreamStats {
  @IsText(256) readonly stream!: string;
}

export class SinkStatsV1 extends SinkCountersV1 implements SinkStats {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsClusterName() readonly cluster!: string;
  @IsNodeName() readonly sink!: string;
  @IsNumberAtLeast(0) readonly atMs!: number;
  @IsBool() readonly influxUp!: boolean;
  @IsTextOrNull(MAX_ERROR_MESSAGE_LENGTH) readonly lastError!: string | null;
  @Nested(() => SinkStreamStatsV1) readonly results!: SinkStreamStatsV1;
  @Nested(() => SinkStreamStatsV1) readonly events!: SinkStreamStatsV1;
  @Nested(() => SinkStreamStatsV1) readonly samples!: SinkStreamStatsV1;
}

export const SinkStatsContract = defineContract<SinkStats>('sink stats', SinkStatsV1);

export const decodeSinkStats = (payload: Uint8Array | string): Decoded<SinkStats> =>
  decodeWith(SinkStatsContract, payload);

export const encodeSinkStats = (stats: SinkStats): Uint8Array =>
  encodeWith(SinkStatsContract, stats);

/**
 * The figures of one measurement, as iperf3 and ping report them. Units are in the field
 * names. iperf3 reports retransmits only for TCP and jitter and loss only for UDP, so
 * those are null rather than absent: every result has the same columns in InfluxDB.
 */
import { PROBE_PROTOCOLS, type ProbeProtocol } from '../sensor-server/server-start.dto.js';
import {
  customRule,
  IsIntAtLeast,
  IsNumberAbove,
  IsNumberAtLeast,
  IsOneOf,
  IsPercent,
  Optional,
} from '../validation/rules.js';

const IPERF_BITRATE_PATTERN = /^[0-9]{1,12}(\.[0-9]{1,6})?[KMGkmg]?$/;

/** iperf3's `-b` notation: a number with an optional K, M or G suffix (no burst part). */
const IsIperfBitrate = (): PropertyDecorator =>
  customRule('isIperfBitrate', (value) =>
    typeof value === 'string' && IPERF_BITRATE_PATTERN.test(value)
      ? null
      : 'must be an iperf3 bitrate such as 100M (a number, optionally K, M or G)',
  );

export interface ProbeParameters {
  readonly seconds: number;
  readonly protocol: ProbeProtocol;
  /** UDP target rate exactly as given to iperf3 -b, e.g. `100M` (bits per second). */
  readonly udpBitrate?: string;
}

export interface ThroughputFigures {
  readonly bitsPerSecond: number;
  readonly bytes: number;
  /** TCP only. */
  readonly retransmits: number | null;
  /** UDP only. */
  readonly jitterMs: number | null;
  /** UDP only. */
  readonly lostPercent: number | null;
}

/** Round-trip times from ping alongside the probe; null when no reply came back. */
export interface RttFigures {
  readonly minMs: number;
  readonly avgMs: number;
  readonly maxMs: number;
  readonly mdevMs: number;
  readonly lossPercent: number;
}

/** iperf3's host_total CPU use; may exceed 100 on several cores. */
export interface CpuFigures {
  readonly clientPercent: number;
  readonly serverPercent: number;
}

export class ProbeParametersV1 implements ProbeParameters {
  @IsNumberAbove(0) readonly seconds!: number;
  @IsOneOf(PROBE_PROTOCOLS) readonly protocol!: ProbeProtocol;
  @Optional() @IsIperfBitrate() readonly udpBitrate?: string;
}

export class ThroughputFiguresV1 implements ThroughputFigures {
  @IsNumberAtLeast(0) readonly bitsPerSecond!: number;
  @IsIntAtLeast(0) readonly bytes!: number;
  @IsIntAtLeast(0, { orNull: true }) readonly retransmits!: number | null;
  @IsNumberAtLeast(0, { orNull: true }) readonly jitterMs!: number | null;
  @IsPercent({ orNull: true }) readonly lostPercent!: number | null;
}

export class RttFiguresV1 implements RttFigures {
  @IsNumberAtLeast(0) readonly minMs!: number;
  @IsNumberAtLeast(0) readonly avgMs!: number;
  @IsNumberAtLeast(0) readonly maxMs!: number;
  @IsNumberAtLeast(0) readonly mdevMs!: number;
  @IsPercent() readonly lossPercent!: number;
}

export class CpuFiguresV1 implements CpuFigures {
  @IsNumberAtLeast(0) readonly clientPercent!: number;
  @IsNumberAtLeast(0) readonly serverPercent!: number;
}

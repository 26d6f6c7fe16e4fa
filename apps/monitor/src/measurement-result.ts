import type { MeasurementResult } from '@meshmon/contracts';
import type { ProbeSettings } from '@meshmon/node-agent';
import type { IperfResult, PingResult } from '@meshmon/probes';
import type { MeasurementError, ProbeJob } from './probe-job.js';

export interface MeasurementFacts {
  readonly cluster: string;
  readonly monitor: string;
  readonly job: ProbeJob;
  readonly probe: ProbeSettings;
  readonly fencingToken: number;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly ping: PingResult | null;
  readonly iperf: IperfResult | null;
  readonly failure: MeasurementError | null;
}

/** The result message of one measurement; without figures it is a failed one. */
export function measurementResult(facts: MeasurementFacts): MeasurementResult {
  const { job, probe, ping, iperf, failure } = facts;
  const common = {
    v: 1 as const,
    measurementId: job.measurementId,
    cluster: facts.cluster,
    monitor: facts.monitor,
    sensor: job.sensor,
    algorithm: job.algorithm,
    tool: job.protocol === 'udp' ? ('iperf3-udp' as const) : ('iperf3-tcp' as const),
    fencingToken: facts.fencingToken,
    startedAtMs: facts.startedAtMs,
    endedAtMs: facts.endedAtMs,
    parameters: {
      seconds: probe.seconds,
      protocol: job.protocol,
      ...(job.protocol === 'udp' ? { udpBitrate: probe.udpBitrate } : {}),
    },
    throughput: iperf
      ? {
          bitsPerSecond: iperf.bitsPerSecond,
          bytes: iperf.bytes,
          retransmits: iperf.retransmits,
          jitterMs: iperf.jitterMs,
          lostPercent: iperf.lostPercent,
        }
      : null,
    rtt:
      ping && ping.rttMs
        ? {
            minMs: ping.rttMs.min,
            avgMs: ping.rttMs.avg,
            maxMs: ping.rttMs.max,
            mdevMs: ping.rttMs.mdev,
            lossPercent: ping.lossPercent,
          }
        : null,
    cpu: iperf ? { ...iperf.cpu } : null,
  };
  if (failure)
    return { ...common, ok: false, error: { code: failure.code, message: failure.message } };
  if (!common.throughput || !common.cpu) {
    return {
      ...common,
      ok: false,
      error: { code: 'failed', message: 'probe ended without figures' },
    };
  }
  return { ...common, ok: true, throughput: common.throughput, cpu: common.cpu };
}

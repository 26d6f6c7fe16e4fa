/** Results, events and garbage for the sink's integration tests and its benchmark. */
import {
  encodeMeasurementResult,
  encodeSchedulerEventMessage,
  type FailedResult,
  type MeasuredResult,
  type MeasurementResult,
} from '@meshmon/contracts';

/** Yesterday, midnight UTC: inside any retention policy, and the same all day. */
const DAY_MS = 86_400_000;
const START_MS = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;

/** A realistic result, the n-th of the cluster: pairs, tools and outcomes vary with n. */
export function sampleResult(cluster: string, n: number, nodes = 8): MeasurementResult {
  const monitor = `n${n % nodes}`;
  const sensor = `n${(n + 1 + (Math.floor(n / nodes) % (nodes - 1))) % nodes}`;
  const udp = n % 4 === 3;
  const base = {
    v: 1 as const,
    measurementId: `${monitor}#${n}`,
    cluster,
    monitor,
    sensor: sensor === monitor ? `n${(n + 1) % nodes}` : sensor,
    algorithm: 'cps' as const,
    startedAtMs: START_MS + n * 7,
    endedAtMs: START_MS + n * 7 + 10_250,
  };
  if (n % 10 === 9) {
    const failed: FailedResult = {
      ...base,
      ok: false,
      tool: 'iperf3-tcp',
      fencingToken: 0,
      parameters: { seconds: 10, protocol: 'tcp' },
      throughput: null,
      rtt: null,
      cpu: null,
      error: { code: 'probe-timeout', message: `iperf3 killed at the deadline (#${n})` },
    };
    return failed;
  }
  const measured: MeasuredResult = {
    ...base,
    ok: true,
    tool: udp ? 'iperf3-udp' : 'iperf3-tcp',
    fencingToken: n + 1,
    parameters: udp
      ? { seconds: 10, protocol: 'udp', udpBitrate: '100M' }
      : { seconds: 10, protocol: 'tcp' },
    throughput: {
      bitsPerSecond: 9.41e8 + n,
      bytes: 1_176_250_000 + n,
      retransmits: udp ? null : n % 5,
      jitterMs: udp ? 0.012 : null,
      lostPercent: udp ? 0.5 : null,
    },
    rtt:
      n % 7 === 0 ? null : { minMs: 0.21, avgMs: 0.35, maxMs: 1.2, mdevMs: 0.08, lossPercent: 0 },
    cpu: { clientPercent: 12.5, serverPercent: 30.1 },
  };
  return measured;
}

export const encodeResult = (result: MeasurementResult): Uint8Array =>
  encodeMeasurementResult(result);

/** How many points of each measurement the first `count` sample results make. */
export function expectedPoints(count: number): { throughput: number; rtt: number } {
  let rtt = 0;
  for (let n = 0; n < count; n += 1) if (sampleResult('x', n).rtt !== null) rtt += 1;
  return { throughput: count, rtt };
}

export function sampleEvent(cluster: string, n: number): Uint8Array {
  return encodeSchedulerEventMessage({
    v: 1,
    cluster,
    node: `n${n % 3}`,
    service: 'controller',
    atMs: START_MS + n,
    event: { type: 'role-switched', node: `n${n % 3}`, role: n % 2 === 0 ? 'monitor' : 'sensor' },
  });
}

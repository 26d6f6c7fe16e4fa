import { randomBytes } from 'node:crypto';
import { SAMPLE_MEASURED_RESULT, type MeasuredResult } from '@meshmon/contracts';

/**
 * A good 1 s measurement of `monitor` -> `sensor` in `cluster`, ending at `endedAtMs`, with
 * round figures the gateway tests check (RTT 0.2 ms average).
 */
export function goodResult(
  cluster: string,
  monitor: string,
  sensor: string,
  endedAtMs = Date.now(),
  bitsPerSecond = 1e9,
): MeasuredResult {
  return {
    ...SAMPLE_MEASURED_RESULT,
    measurementId: `${monitor}-${sensor}-${endedAtMs}-${randomBytes(3).toString('hex')}`,
    cluster,
    monitor,
    sensor,
    startedAtMs: endedAtMs - 1000,
    endedAtMs,
    parameters: { seconds: 1, protocol: 'tcp' },
    fencingToken: 1,
    throughput: { bitsPerSecond, bytes: 1000, retransmits: 0, jitterMs: null, lostPercent: null },
    rtt: { minMs: 0.1, avgMs: 0.2, maxMs: 0.3, mdevMs: 0.01, lossPercent: 0 },
    cpu: { clientPercent: 1, serverPercent: 2 },
  };
}

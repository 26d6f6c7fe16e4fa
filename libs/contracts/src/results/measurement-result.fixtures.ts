import type { FailedResult, MeasuredResult } from './measurement-result.dto.js';

/** A valid measured result, for the tests of every service that reads results. */
export const SAMPLE_MEASURED_RESULT: MeasuredResult = {
  v: 1,
  ok: true,
  measurementId: 'n1#12',
  cluster: 'lab',
  monitor: 'n1',
  sensor: 'n2',
  algorithm: 'cps',
  tool: 'iperf3-tcp',
  fencingToken: 41,
  startedAtMs: 1_700_000_000_000,
  endedAtMs: 1_700_000_010_250,
  parameters: { seconds: 10, protocol: 'tcp' },
  throughput: {
    bitsPerSecond: 9.41e8,
    bytes: 1_176_250_000,
    retransmits: 3,
    jitterMs: null,
    lostPercent: null,
  },
  rtt: { minMs: 0.21, avgMs: 0.35, maxMs: 1.2, mdevMs: 0.08, lossPercent: 0 },
  cpu: { clientPercent: 12.5, serverPercent: 30.1 },
};

/** The same measurement, failed: a UDP probe killed at its deadline. */
export const SAMPLE_FAILED_RESULT: FailedResult = {
  ...SAMPLE_MEASURED_RESULT,
  ok: false,
  tool: 'iperf3-udp',
  fencingToken: 0,
  parameters: { seconds: 10, protocol: 'udp', udpBitrate: '100M' },
  throughput: null,
  rtt: null,
  cpu: null,
  error: { code: 'probe-timeout', message: 'iperf3 killed at the lease deadline' },
};

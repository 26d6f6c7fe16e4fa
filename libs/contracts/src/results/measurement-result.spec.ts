import { ErrorCodes } from '../errors/error-codes.js';
import { problemsOf, withChanges } from '../testing/decode-helpers.js';
import {
  decodeMeasurementResult,
  encodeMeasurementResult,
  type FailedResult,
  type MeasuredResult,
} from './measurement-result.dto.js';

const measured: MeasuredResult = {
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

const failed: FailedResult = {
  ...measured,
  ok: false,
  tool: 'iperf3-udp',
  fencingToken: 0,
  parameters: { seconds: 10, protocol: 'udp', udpBitrate: '100M' },
  throughput: null,
  rtt: null,
  cpu: null,
  error: { code: ErrorCodes.probeTimeout, message: 'iperf3 killed at the lease deadline' },
};

describe('measurement results', () => {
  it('round trip - a measured and a failed result', () => {
    expect(decodeMeasurementResult(encodeMeasurementResult(measured))).toEqual({
      ok: true,
      value: measured,
    });
    expect(decodeMeasurementResult(encodeMeasurementResult(failed))).toEqual({
      ok: true,
      value: failed,
    });
  });

  it.each<[string, object, Record<string, unknown>, string, string]>([
    [
      'an error on a measured result',
      measured,
      { error: { code: 'x', message: 'y' } },
      'error',
      'is not allowed',
    ],
    [
      'no figures on a measured result',
      measured,
      { throughput: null },
      'throughput',
      'must be an object',
    ],
    [
      'a failed result without an error',
      failed,
      { error: undefined },
      'error',
      'must be an object',
    ],
    ['an end before the start', measured, { endedAtMs: 1 }, 'endedAtMs', 'must be >= startedAtMs'],
    [
      'an unknown algorithm',
      measured,
      { algorithm: 'best' },
      'algorithm',
      'must be one of rr, crs, cps, tts, manual',
    ],
    [
      'an unknown tool',
      measured,
      { tool: 'netperf' },
      'tool',
      'must be one of iperf3-tcp, iperf3-udp',
    ],
    [
      'a dotted cluster',
      measured,
      { cluster: 'a.b' },
      'cluster',
      expect.stringMatching(/^must be a cluster name/),
    ],
    ['no rtt key at all', measured, { rtt: undefined }, 'rtt', 'must be an object or null'],
    [
      'loss above 100 %',
      measured,
      { rtt: { ...measured.rtt, lossPercent: 101 } },
      'rtt.lossPercent',
      'must be a number from 0 to 100',
    ],
    [
      'missing retransmits',
      measured,
      { throughput: { ...measured.throughput, retransmits: undefined } },
      'throughput.retransmits',
      'must be an integer >= 0 or null',
    ],
    [
      'a bad UDP bitrate',
      failed,
      { parameters: { seconds: 1, protocol: 'udp', udpBitrate: 'fast' } },
      'parameters.udpBitrate',
      expect.stringMatching(/^must be an iperf3 bitrate/),
    ],
    [
      'a zero token on a measured result',
      measured,
      { fencingToken: 0 },
      'fencingToken',
      'must be an integer >= 1',
    ],
  ])('refuses %s', (_name, base, changes, field, rule) => {
    expect(problemsOf(decodeMeasurementResult(withChanges(base, changes)))).toEqual([
      { field, rule },
    ]);
  });
});

import { problemsOf, withChanges } from '../testing/decode-helpers.js';
import {
  decodeMeasurementResult,
  encodeMeasurementResult,
  type FailedResult,
  type MeasuredResult,
} from './measurement-result.dto.js';
import { SAMPLE_FAILED_RESULT, SAMPLE_MEASURED_RESULT } from './measurement-result.fixtures.js';

const measured: MeasuredResult = SAMPLE_MEASURED_RESULT;
const failed: FailedResult = SAMPLE_FAILED_RESULT;

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

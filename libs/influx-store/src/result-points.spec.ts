import {
  SAMPLE_FAILED_RESULT,
  SAMPLE_MEASURED_RESULT,
  type FailedResult,
  type MeasuredResult,
} from '@meshmon/contracts';
import { resultTimestamp } from './point-time.js';
import { resultPoints } from './result-points.js';

const measured: MeasuredResult = SAMPLE_MEASURED_RESULT;
const failed: FailedResult = {
  ...SAMPLE_FAILED_RESULT,
  error: { code: 'probe-timeout', message: 'iperf3 killed\nat the lease deadline' },
};

const tags = {
  cluster: 'lab',
  monitor: 'n1',
  sensor: 'n2',
  tool: 'iperf3-tcp',
  orchestrator: 'kubernetes',
  ok: 'true',
};

describe(resultPoints.name, () => {
  it('maps a measured result to a throughput and an rtt point at its start time', () => {
    const sut = resultPoints(measured, { orchestrator: 'kubernetes' });

    const timestamp = resultTimestamp(measured.startedAtMs, measured.measurementId);
    expect(sut).toEqual([
      {
        measurement: 'throughput',
        tags,
        fields: {
          bits_per_second: 9.41e8,
          bytes: 1_176_250_000,
          retransmits: 3,
          cpu_client_percent: 12.5,
          cpu_server_percent: 30.1,
          duration_ms: 10_250,
          fencing_token: 41,
          measurement_id: 'n1#12',
          algorithm: 'cps',
        },
        timestamp,
      },
      {
        measurement: 'rtt',
        tags,
        fields: {
          min_ms: 0.21,
          avg_ms: 0.35,
          max_ms: 1.2,
          mdev_ms: 0.08,
          loss_percent: 0,
          measurement_id: 'n1#12',
        },
        timestamp,
      },
    ]);
  });

  it('writes UDP jitter and loss, and omits the null retransmits', () => {
    const udp: MeasuredResult = {
      ...measured,
      tool: 'iperf3-udp',
      throughput: { ...measured.throughput, retransmits: null, jitterMs: 0.01, lostPercent: 0.5 },
    };

    const [throughput] = resultPoints(udp, { orchestrator: 'none' });

    expect(throughput.fields).toMatchObject({ jitter_ms: 0.01, lost_percent: 0.5 });
    expect(throughput.fields).not.toHaveProperty('retransmits');
  });

  it('maps a failed result to one throughput point with its error on one line', () => {
    const sut = resultPoints(failed, { orchestrator: 'none' });

    expect(sut).toHaveLength(1);
    expect(sut[0].tags).toMatchObject({ ok: 'false', tool: 'iperf3-udp', orchestrator: 'none' });
    expect(sut[0].fields).toEqual({
      duration_ms: 10_250,
      fencing_token: 0,
      measurement_id: 'n1#12',
      algorithm: 'cps',
      error_code: 'probe-timeout',
      error_message: 'iperf3 killed at the lease deadline',
    });
  });

  it('keeps the figures a failed result has', () => {
    const partial: FailedResult = { ...failed, cpu: measured.cpu, rtt: measured.rtt };

    const sut = resultPoints(partial, { orchestrator: 'none' });

    expect(sut.map((point) => point.measurement)).toEqual(['throughput', 'rtt']);
    expect(sut[0].fields).toMatchObject({ cpu_client_percent: 12.5, error_code: 'probe-timeout' });
  });

  it('gives the same points for the same result, so a redelivery overwrites itself', () => {
    expect(resultPoints(measured, { orchestrator: 'lab' })).toEqual(
      resultPoints(structuredClone(measured), { orchestrator: 'lab' }),
    );
  });
});

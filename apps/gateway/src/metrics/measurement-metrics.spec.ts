import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { SAMPLE_FAILED_RESULT, SAMPLE_MEASURED_RESULT } from '@meshmon/contracts';
import { LiveView } from '../view/live-view.js';
import { registerMeasurementMetrics } from './measurement-metrics.js';

const END_S = SAMPLE_MEASURED_RESULT.endedAtMs / 1000;

async function scrape(view: LiveView, nowMs: number): Promise<string[]> {
  const registry = new Registry();
  registerMeasurementMetrics(registry, view, {
    cluster: 'prod-1',
    probeSeconds: 10,
    now: () => nowMs,
  });
  return (await registry.metrics()).split('\n').filter((line) => !line.startsWith('#'));
}

describe(registerMeasurementMetrics.name, () => {
  it('measurement metrics - the last good figures of each pair, in base units, labelled cluster, monitor, sensor', async () => {
    const view = new LiveView();
    view.applyResult(SAMPLE_MEASURED_RESULT);
    view.applyResult({
      ...SAMPLE_MEASURED_RESULT,
      measurementId: 'n2#1',
      monitor: 'n2',
      sensor: 'n1',
      tool: 'iperf3-udp',
      throughput: { ...SAMPLE_MEASURED_RESULT.throughput, jitterMs: 0.25, lostPercent: 1 },
      rtt: { ...SAMPLE_MEASURED_RESULT.rtt!, lossPercent: 20 },
    });

    const lines = await scrape(view, SAMPLE_MEASURED_RESULT.endedAtMs + 30_000);

    const n1n2 = 'cluster="prod-1",monitor="n1",sensor="n2"';
    const n2n1 = 'cluster="prod-1",monitor="n2",sensor="n1"';
    expect(lines).toEqual(
      expect.arrayContaining([
        `meshmon_pair_throughput_bits_per_second{${n1n2}} 941000000`,
        `meshmon_pair_rtt_seconds{${n1n2}} 0.00035`,
        `meshmon_pair_loss_ratio{${n1n2}} 0`,
        `meshmon_pair_loss_ratio{${n2n1}} 0.2`,
        `meshmon_pair_jitter_seconds{${n2n1}} 0.00025`,
        `meshmon_pair_last_measured_timestamp_seconds{${n1n2}} ${END_S}`,
        `meshmon_pair_staleness_seconds{${n1n2}} 30`,
        'meshmon_measurements_total{cluster="prod-1",outcome="ok"} 2',
        'meshmon_nodes{cluster="prod-1"} 2',
        // Two nodes, 10.4 s events: (1.1158 x 2 + 0.6904) min x 10.4 / 13.45.
        `meshmon_expected_cycle_seconds{cluster="prod-1"} ${(1.1158 * 2 + 0.6904) * 60 * (10.4 / 13.45)}`,
      ]),
    );
    // TCP reports no jitter: the series is left out rather than set to 0.
    expect(lines.some((line) => line.startsWith(`meshmon_pair_jitter_seconds{${n1n2}}`))).toBe(
      false,
    );
  });

  it('measurement metrics - a failed result counts under its code and moves staleness, not the figures', async () => {
    const view = new LiveView();
    view.applyResult(SAMPLE_MEASURED_RESULT);
    view.applyResult({
      ...SAMPLE_FAILED_RESULT,
      measurementId: 'n1#13',
      endedAtMs: SAMPLE_MEASURED_RESULT.endedAtMs + 60_000,
    });

    const lines = await scrape(view, SAMPLE_MEASURED_RESULT.endedAtMs + 60_000);

    expect(lines).toEqual(
      expect.arrayContaining([
        'meshmon_measurements_total{cluster="prod-1",outcome="ok"} 1',
        'meshmon_measurements_total{cluster="prod-1",outcome="probe-timeout"} 1',
        'meshmon_pair_throughput_bits_per_second{cluster="prod-1",monitor="n1",sensor="n2"} 941000000',
        'meshmon_pair_staleness_seconds{cluster="prod-1",monitor="n1",sensor="n2"} 0',
      ]),
    );
  });

  it('measurement metrics - the outcome counter only grows, scrape after scrape', async () => {
    const view = new LiveView();
    const registry = new Registry();
    registerMeasurementMetrics(registry, view, { cluster: 'prod-1', probeSeconds: 10 });
    const okCount = async () =>
      (await registry.getSingleMetric('meshmon_measurements_total')!.get()).values.find(
        (value) => value.labels.outcome === 'ok',
      )?.value;

    view.applyResult(SAMPLE_MEASURED_RESULT);
    expect(await okCount()).toBe(1);
    expect(await okCount()).toBe(1);
    view.applyResult({ ...SAMPLE_MEASURED_RESULT, measurementId: 'n1#99' });
    expect(await okCount()).toBe(2);
  });
});

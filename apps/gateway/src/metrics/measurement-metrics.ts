import { Counter, Gauge, type Registry } from 'prom-client';
import { expectedCycleSeconds } from '@meshmon/analysis';
import { eventMsForProbe } from '@meshmon/scheduling';
import type { LiveView } from '../view/live-view.js';

/**
 * What Meshmon measures, as Prometheus metrics, read from the gateway's live view at
 * scrape time (the result stream the gateway already follows: no NATS traffic per
 * scrape). Base units as Prometheus names them: bits per second, seconds, ratios.
 * Cardinality is bounded by the view: at most LiveViewLimits.maxNodes nodes (256), so at
 * most maxNodes x (maxNodes - 1) pairs, and the outcome label by OUTCOME_LIMIT codes.
 */
export function registerMeasurementMetrics(
  registry: Registry,
  view: LiveView,
  options: { cluster: string; probeSeconds: number; now?: () => number },
): void {
  const { cluster, probeSeconds } = options;
  const now = options.now ?? Date.now;
  const pairLabels = ['cluster', 'monitor', 'sensor'] as const;
  /** A gauge per pair whose value comes from the pair's figures; pairs without one are left out. */
  const perPair = (
    name: string,
    help: string,
    value: (stats: NonNullable<ReturnType<LiveView['pairStats']>>) => number | null,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: pairLabels,
      registers: [registry],
      collect() {
        this.reset();
        for (const [monitor, sensor, stats] of view.measuredPairs()) {
          const figure = value(stats);
          if (figure !== null) this.set({ cluster, monitor, sensor }, figure);
        }
      },
    });

  perPair(
    'meshmon_pair_throughput_bits_per_second',
    'Throughput of the last good iperf3 probe from monitor to sensor',
    (stats) => stats.lastBitsPerSecond,
  );
  perPair(
    'meshmon_pair_rtt_seconds',
    'Mean round-trip time of the ping alongside the last good probe',
    (stats) => (stats.lastRttMs === null ? null : stats.lastRttMs / 1000),
  );
  perPair(
    'meshmon_pair_loss_ratio',
    'Packet loss of the ping alongside the last good probe (0 to 1)',
    (stats) => stats.lastLossRatio,
  );
  perPair(
    'meshmon_pair_jitter_seconds',
    'Jitter of the last good UDP probe (TCP probes report none)',
    (stats) => (stats.lastJitterMs === null ? null : stats.lastJitterMs / 1000),
  );
  perPair(
    'meshmon_pair_last_measured_timestamp_seconds',
    'When the pair was last measured (any outcome), Unix seconds',
    (stats) => (stats.lastMeasuredMs === null ? null : stats.lastMeasuredMs / 1000),
  );
  perPair(
    'meshmon_pair_staleness_seconds',
    'Seconds since the pair was last measured (any outcome), at scrape time',
    (stats) =>
      stats.lastMeasuredMs === null ? null : Math.max(0, (now() - stats.lastMeasuredMs) / 1000),
  );

  // A counter: the view's counts only grow, so each scrape adds what came since the last.
  const counted = new Map<string, number>();
  new Counter({
    name: 'meshmon_measurements_total',
    help: 'Results the gateway has seen since it started (its replay of the last hour included), by outcome: ok or the failure code',
    labelNames: ['cluster', 'outcome'] as const,
    registers: [registry],
    collect() {
      for (const [outcome, count] of view.outcomes()) {
        const added = count - (counted.get(outcome) ?? 0);
        if (added > 0) this.inc({ cluster, outcome }, added);
        counted.set(outcome, count);
      }
    },
  });
  new Gauge({
    name: 'meshmon_nodes',
    help: 'Nodes the gateway knows of (seen in events or results, not removed)',
    labelNames: ['cluster'] as const,
    registers: [registry],
    collect() {
      this.set({ cluster }, view.nodeCount);
    },
  });
  new Gauge({
    name: 'meshmon_expected_cycle_seconds',
    help: "How long a full CPS cycle takes at the known node count and the monitors' probe length (the thesis's line, scaled): a pair is measured again within about one",
    labelNames: ['cluster'] as const,
    registers: [registry],
    collect() {
      this.reset();
      if (view.nodeCount >= 2)
        this.set(
          { cluster },
          expectedCycleSeconds(view.nodeCount, eventMsForProbe(probeSeconds) / 1000),
        );
    },
  });
}

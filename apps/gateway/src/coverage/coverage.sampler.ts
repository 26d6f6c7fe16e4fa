import { Injectable, Logger, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { CoverageCycles } from '@meshmon/analysis';
import { Gauge } from 'prom-client';
import { IntentsStore } from '../intents/intents.store.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import type { CoverageReport } from '../view/coverage-tracker.js';
import { LiveView } from '../view/live-view.js';

/** How often a point is added to the coverage history. */
export const COVERAGE_SAMPLE_MS = 10_000;

/** Samples coverage into the bounded history while the gateway runs. */
@Injectable()
export class CoverageSampler implements OnApplicationShutdown {
  private readonly logger = new Logger(CoverageSampler.name);
  private readonly timer: NodeJS.Timeout;

  constructor(
    @Inject(LiveView) private readonly view: LiveView,
    @Inject(IntentsStore) private readonly intents: IntentsStore,
    @Inject(GatewayMetrics) metrics: GatewayMetrics,
    @Inject(GATEWAY_RUNTIME) runtime: GatewayRuntime,
  ) {
    this.timer = setInterval(() => this.sample(), COVERAGE_SAMPLE_MS);
    this.timer.unref();
    this.registerMetrics(metrics, runtime.subjects.cluster);
  }

  /**
   * The current scheduler run's coverage on /metrics (GET /api/v1/coverage's figures, one
   * computation per scrape), and the conflicts the independent checker finds among the
   * good results the view keeps.
   */
  private registerMetrics(metrics: GatewayMetrics, cluster: string): void {
    const registers = [metrics.registry];
    const labelNames = ['cluster'] as const;
    type Figures = { report: CoverageReport; cycles: CoverageCycles | null };
    let figures: Figures | null = null;
    // One computation per scrape: the first gauge collected (registration order) makes the
    // report and the cycles, the others read them.
    const current = (first: boolean): Figures => {
      if (first || !figures)
        figures = {
          report: this.report(),
          cycles: this.view.coverage.cycles(this.view.nodes(), this.intents.scope),
        };
      return figures;
    };
    new Gauge({
      name: 'meshmon_coverage_ratio',
      help: 'Pairs in scope measured at least once since the current scheduler run started, over pairs in scope',
      labelNames,
      registers,
      collect() {
        this.set({ cluster }, current(true).report.coverage);
      },
    });
    new Gauge({
      name: 'meshmon_pairs_in_scope',
      help: 'Ordered pairs the current run is to measure (every pair of known nodes, or the intents)',
      labelNames,
      registers,
      collect() {
        this.set({ cluster }, current(false).report.pairsInScope);
      },
    });
    new Gauge({
      name: 'meshmon_full_coverage_seconds',
      help: 'Seconds from the start of the current run until every pair in scope had been measured (absent until then)',
      labelNames,
      registers,
      collect() {
        this.reset();
        const ms = current(false).report.timeToFullCoverageMs;
        if (ms !== null) this.set({ cluster }, ms / 1000);
      },
    });
    const view = this.view;
    const cycles = () => current(false).cycles;
    new Gauge({
      name: 'meshmon_cycle_coverage_ratio',
      help: 'Pairs in scope measured since the current coverage cycle began (a cycle ends once every pair was measured), over pairs in scope',
      labelNames,
      registers,
      collect() {
        this.reset();
        const now = cycles();
        if (now) this.set({ cluster }, now.currentCoverage);
      },
    });
    new Gauge({
      name: 'meshmon_last_cycle_seconds',
      help: 'How long the last completed coverage cycle took (every pair in scope measured once)',
      labelNames,
      registers,
      collect() {
        this.reset();
        const last = cycles()?.lastCycleSeconds;
        if (last !== null && last !== undefined) this.set({ cluster }, last);
      },
    });
    new Gauge({
      name: 'meshmon_cycles_completed',
      help: 'Coverage cycles completed in the current scheduler run',
      labelNames,
      registers,
      collect() {
        this.set({ cluster }, cycles()?.completed ?? 0);
      },
    });
    new Gauge({
      name: 'meshmon_conflicts',
      help: 'Overlapping measurements on a node among the good results the gateway keeps (the invariant: 0)',
      labelNames,
      registers,
      collect() {
        this.set({ cluster }, view.coverage.conflicts());
      },
    });
  }

  report(nowMs = Date.now()): CoverageReport {
    return this.view.coverageNow(this.intents.scope, nowMs);
  }

  sample(nowMs = Date.now()): void {
    try {
      if (this.view.nodeCount === 0) return;
      this.view.coverage.sample(nowMs, this.report(nowMs).coverage);
    } catch (error) {
      this.logger.error(`coverage not sampled: ${String(error)}`);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

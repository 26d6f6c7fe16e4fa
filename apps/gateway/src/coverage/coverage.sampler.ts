import { Injectable, Logger, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { IntentsStore } from '../intents/intents.store.js';
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
  ) {
    this.timer = setInterval(() => this.sample(), COVERAGE_SAMPLE_MS);
    this.timer.unref();
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

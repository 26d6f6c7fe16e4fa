import { Logger } from '@nestjs/common';
import type { StoreHealth } from './sink-counters.js';

/** Consecutive failed attempts (over all streams) after which an outage is reported. */
export const OUTAGE_REPORT_AFTER = 3;
/** While down, the log gets at most one line per this many milliseconds. */
const LOG_EVERY_MS = 30_000;

/**
 * Tracks InfluxDB outages for the pumps: marks the store down, logs sparingly and sends
 * one `events.error` per outage. Once per outage, not per retry: the sink stores its own
 * error events too, so an event per failed write would feed the backlog it cannot write.
 */
export class StoreOutage {
  private readonly logger = new Logger('StoreOutage');
  private failures = 0;
  private reported = false;
  private lastLogAt = 0;
  private downSince = 0;

  constructor(
    private readonly health: StoreHealth,
    private readonly report: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.health.influxUp = false;
    this.health.lastError = message;
    if (this.failures === 0) this.downSince = this.now();
    this.failures += 1;
    if (this.now() - this.lastLogAt >= LOG_EVERY_MS) {
      this.lastLogAt = this.now();
      this.logger.warn(`${message} (attempt ${this.failures}; retrying, nothing acknowledged)`);
    }
    if (this.failures >= OUTAGE_REPORT_AFTER && !this.reported) {
      this.reported = true;
      this.report(`${message}; retrying with backoff, results wait unacknowledged in JetStream`);
    }
  }

  recovered(): void {
    if (this.failures > 0) {
      const seconds = Math.round((this.now() - this.downSince) / 1000);
      this.logger.log(
        `InfluxDB accepts writes again after ${this.failures} failure(s), ${seconds} s`,
      );
    }
    this.health.influxUp = true;
    this.failures = 0;
    this.reported = false;
    this.lastLogAt = 0;
  }
}

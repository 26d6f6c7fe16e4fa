import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { encodeMeasurementResult, type MeasurementResult } from '@meshmon/contracts';
import type { AgentRuntime } from '@meshmon/node-agent';

/** Results waiting for JetStream; at 4 measurements a minute this is days of outage. */
const OUTBOX_LIMIT = 50_000;
const RETRY_MS = 1000;

/**
 * Publishes measurements to the results stream, at least once: a result JetStream has not
 * acknowledged stays in the outbox and is re-sent with the same message id, which the
 * stream deduplicates, until it is acknowledged or the service stops.
 */
export class ResultPublisher {
  private readonly js: JetStreamClient;
  private readonly outbox: MeasurementResult[] = [];
  private flushing = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly runtime: AgentRuntime) {
    this.js = jetstream(runtime.connection);
  }

  get waiting(): number {
    return this.outbox.length;
  }

  publish(result: MeasurementResult): void {
    if (this.outbox.length >= OUTBOX_LIMIT) {
      const dropped = this.outbox.shift()!;
      this.runtime.events.error({
        subject: this.runtime.subjects.result(dropped.monitor, dropped.sensor),
        code: 'outbox-full',
        message: `dropped result ${dropped.measurementId}: ${OUTBOX_LIMIT} results wait for JetStream`,
      });
    }
    this.outbox.push(result);
    void this.flush();
  }

  /** Tries the waiting results once more, for a bounded time; used at shutdown. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.outbox.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.outbox.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  /**
   * A result our own contract refuses (a probe reported something absurd) would block the
   * outbox for ever if retried: it is reported and dropped instead.
   */
  private encode(result: MeasurementResult): Uint8Array | null {
    try {
      return encodeMeasurementResult(result);
    } catch (error) {
      this.runtime.events.error({
        subject: this.runtime.subjects.result(result.monitor, result.sensor),
        code: 'invalid-result',
        message: `result ${result.measurementId} not published: ${error instanceof Error ? error.message : String(error)}`,
      });
      return null;
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length > 0) {
        const result = this.outbox[0];
        const encoded = this.encode(result);
        if (encoded) {
          await this.js.publish(
            this.runtime.subjects.result(result.monitor, result.sensor),
            encoded,
            {
              msgID: result.measurementId,
              timeout: 5000,
            },
          );
        }
        this.outbox.shift();
      }
    } catch (error) {
      this.runtime.events.error({
        subject: this.runtime.subjects.resultsWildcard,
        code: 'result-publish-failed',
        message: `${error instanceof Error ? error.message : String(error)}; ${this.outbox.length} result(s) kept for retry`,
      });
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        void this.flush();
      }, RETRY_MS);
    } finally {
      this.flushing = false;
    }
  }
}

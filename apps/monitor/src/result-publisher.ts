import { encodeMeasurementResult, type MeasurementResult } from '@meshmon/contracts';
import { ResultsLedger, type AgentRuntime } from '@meshmon/node-agent';
import { JetStreamOutbox, OutboxJournal } from '@meshmon/service-runtime';

/**
 * Results waiting for JetStream; at 4 measurements a minute this is days of outage, and
 * on disk about 1.5 KB each: 75 MB at most.
 */
const OUTBOX_LIMIT = 50_000;

/**
 * Publishes measurements to the results stream, at least once (the runtime's outbox):
 * message id = measurement id, so a re-sent result is stored once. The outbox is kept on
 * disk (MESHMON_OUTBOX_DIR): results a monitor could not get out before it died are sent
 * by the next monitor process of its node.
 */
export class ResultPublisher {
  private readonly outbox: JetStreamOutbox;
  /** The monitor's own count of what it produced (results-ledger.ts), beside the outbox. */
  private readonly ledger: ResultsLedger;

  constructor(private readonly runtime: AgentRuntime) {
    this.outbox = new JetStreamOutbox(runtime.connection, runtime.events, {
      what: 'result',
      wildcard: runtime.subjects.resultsWildcard,
      limit: OUTBOX_LIMIT,
      journal: new OutboxJournal(runtime.config.outboxDir),
    });
    this.ledger = new ResultsLedger(runtime.config.outboxDir);
  }

  get waiting(): number {
    return this.outbox.waiting;
  }

  publish(result: MeasurementResult): void {
    this.outbox.add({
      subject: this.runtime.subjects.result(result.monitor, result.sensor),
      msgId: result.measurementId,
      encode: () => encodeMeasurementResult(result),
    });
    try {
      this.ledger.record(result);
    } catch (error) {
      // The books are for balancing, not for measuring: a full disk stops neither.
      this.runtime.events.error({
        subject: this.runtime.subjects.result(result.monitor, result.sensor),
        code: 'results-ledger-failed',
        message: `result ${result.measurementId} not counted in ${this.ledger.folder}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  /** Tries the waiting results once more, for a bounded time; used at shutdown. */
  drain(timeoutMs: number): Promise<void> {
    return this.outbox.drain(timeoutMs);
  }
}

import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventPublisher } from '../event-publisher.js';
import type { JournalEntry, OutboxJournal } from './outbox-journal.js';

/** One message for a stream: where it goes, its id for deduplication, and its bytes. */
export interface OutboxMessage {
  readonly subject: string;
  /** The stream drops a second message with this id (within its duplicate window). */
  readonly msgId: string;
  /** Encodes with the contract; throws OutboundMessageError for a message a peer would refuse. */
  encode(): Uint8Array;
}

export interface OutboxOptions {
  /** What the messages are, for error events: `result`, `sample`. */
  readonly what: string;
  /** The stream's subjects, named in error events about the stream as a whole. */
  readonly wildcard: string;
  /** How many may wait for JetStream; beyond that the oldest waiting one is dropped and reported. */
  readonly limit: number;
  readonly retryMs?: number;
  readonly publishTimeoutMs?: number;
  /**
   * Keeps every waiting message on disk too (encoded when added), so that a process that
   * dies before JetStream acknowledged them leaves them to the next one; without it they
   * live in memory only.
   */
  readonly journal?: OutboxJournal;
}

/** A waiting message, with its file when the outbox keeps a journal. */
interface Waiting {
  readonly message: OutboxMessage;
  readonly entry: JournalEntry | null;
}

/** While JetStream stays unreachable, the outage is reported again at most this often. */
const REPEAT_REPORT_MS = 60_000;

/**
 * Publishes messages to a JetStream stream at least once and in order: a message JetStream
 * has not acknowledged stays at the head and is re-sent with the same message id (which
 * the stream deduplicates) until it is acknowledged or the outbox is stopped. Failures
 * become error events: `<what>-publish-failed` when an outage starts (then once a minute
 * while it lasts, with the count waiting), `outbox-full` per dropped message and
 * `invalid-<what>` for one the contract refuses.
 */
export class JetStreamOutbox {
  private readonly js: JetStreamClient;
  private readonly queue: Waiting[] = [];
  private flushing = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly retryMs: number;
  private readonly publishTimeoutMs: number;
  private lastReportAt: number | null = null;

  constructor(
    connection: NatsConnection,
    /** Where failures go: a service's `events.error`, or a command's own log. */
    private readonly events: Pick<EventPublisher, 'error'>,
    private readonly options: OutboxOptions,
  ) {
    this.js = jetstream(connection);
    this.retryMs = options.retryMs ?? 1000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 5000;
    if (options.journal) this.recover(options.journal);
  }

  /** What an earlier process left in the journal goes first, oldest first. */
  private recover(journal: OutboxJournal): void {
    const { entries, unreadable } = journal.load();
    for (const path of unreadable) {
      this.events.error({
        subject: this.options.wildcard,
        code: 'outbox-unreadable',
        message: `a file in the ${this.options.what} outbox could not be read; moved aside as ${path}`,
      });
    }
    // A message for another stream (the node was moved to another cluster, its outbox
    // kept) would block every later one at the head of the queue: it is set aside.
    const prefix = this.options.wildcard.replace(/>$/, '');
    for (const entry of entries) {
      const { subject, msgId, data } = entry;
      if (!subject.startsWith(prefix)) {
        const path = journal.setAside(entry);
        this.events.error({
          subject,
          code: 'outbox-foreign',
          message: `${this.options.what} ${msgId} is not for ${this.options.wildcard}; set aside as ${path}`,
        });
        continue;
      }
      this.enqueue({ message: { subject, msgId, encode: () => data }, entry });
    }
    if (this.queue.length > 0) void this.flush();
  }

  get waiting(): number {
    return this.queue.length;
  }

  add(message: OutboxMessage): void {
    if (this.stopped) return;
    const { journal } = this.options;
    if (journal) {
      // On disk before anything else happens to it; encoded now, as the file needs bytes.
      const encoded = this.encode(message);
      if (encoded === null) return;
      this.enqueue({
        message: { ...message, encode: () => encoded },
        entry: this.kept(message, encoded),
      });
    } else this.enqueue({ message, entry: null });
    void this.flush();
  }

  /**
   * The message's file, or null when the disk refuses it (full, read-only, the volume
   * gone): then it waits in memory only, which is still better than losing it now.
   */
  private kept(message: OutboxMessage, encoded: Uint8Array): JournalEntry | null {
    try {
      return this.options.journal!.append(message.subject, message.msgId, encoded);
    } catch (error) {
      this.events.error({
        subject: message.subject,
        code: 'outbox-journal-failed',
        message: `${this.options.what} ${message.msgId} kept in memory only: ${error instanceof Error ? error.message : String(error)}`,
      });
      return null;
    }
  }

  private enqueue(waiting: Waiting): void {
    if (this.queue.length >= this.options.limit) {
      // The head may be in flight right now: drop the next one, which surely is not.
      const dropped = this.queue.splice(this.flushing && this.queue.length > 1 ? 1 : 0, 1)[0];
      this.forget(dropped);
      this.events.error({
        subject: dropped.message.subject,
        code: 'outbox-full',
        message: `dropped ${this.options.what} ${dropped.message.msgId}: ${this.options.limit} wait for JetStream`,
      });
    }
    this.queue.push(waiting);
  }

  private forget(waiting: Waiting): void {
    if (waiting.entry) this.options.journal?.remove(waiting.entry);
  }

  /** Tries the waiting messages once more until `timeoutMs` has passed, then stops. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < deadline) {
      await this.flush(Math.max(1, Math.min(this.publishTimeoutMs, deadline - Date.now())));
      if (this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.stop();
  }

  /** No more sending or retrying (the connection is about to close). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /**
   * A message our own contract refuses would block the queue for ever if retried: it is
   * reported and dropped instead.
   */
  private encode(message: OutboxMessage): Uint8Array | null {
    try {
      return message.encode();
    } catch (error) {
      this.events.error({
        subject: message.subject,
        code: `invalid-${this.options.what}`,
        message: `${this.options.what} ${message.msgId} not published: ${error instanceof Error ? error.message : String(error)}`,
      });
      return null;
    }
  }

  private async flush(timeoutMs = this.publishTimeoutMs): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const waiting = this.queue[0];
        const { message } = waiting;
        const encoded = this.encode(message);
        if (encoded) {
          await this.js.publish(message.subject, encoded, {
            msgID: message.msgId,
            timeout: timeoutMs,
          });
        }
        // Only if it is still the head: add() may have dropped it meanwhile.
        if (this.queue[0] === waiting) {
          this.queue.shift();
          this.forget(waiting);
        }
      }
      this.lastReportAt = null;
    } catch (error) {
      this.reportFailure(error);
      if (!this.stopped) {
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = null;
          void this.flush();
        }, this.retryMs);
        // A retry alone must not keep a process alive that is otherwise done.
        this.retryTimer.unref();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Once when an outage starts, then at most once a minute while it lasts. */
  private reportFailure(error: unknown): void {
    const now = Date.now();
    if (this.lastReportAt !== null && now - this.lastReportAt < REPEAT_REPORT_MS) return;
    this.lastReportAt = now;
    this.events.error({
      subject: this.options.wildcard,
      code: `${this.options.what}-publish-failed`,
      message: `${error instanceof Error ? error.message : String(error)}; ${this.queue.length} ${this.options.what}(s) kept for retry`,
    });
  }
}

import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventPublisher } from '../event-publisher.js';

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
  /** How many may wait for JetStream; beyond that the oldest is dropped and reported. */
  readonly limit: number;
  readonly retryMs?: number;
  readonly publishTimeoutMs?: number;
}

/**
 * Publishes messages to a JetStream stream at least once and in order: a message JetStream
 * has not acknowledged stays at the head and is re-sent with the same message id (which
 * the stream deduplicates) until it is acknowledged or the service stops. Failures become
 * error events `<what>-publish-failed`, `outbox-full` and `invalid-<what>`.
 */
export class JetStreamOutbox {
  private readonly js: JetStreamClient;
  private readonly queue: OutboxMessage[] = [];
  private flushing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly retryMs: number;
  private readonly publishTimeoutMs: number;

  constructor(
    connection: NatsConnection,
    /** Where failures go: a service's `events.error`, or a command's own log. */
    private readonly events: Pick<EventPublisher, 'error'>,
    private readonly options: OutboxOptions,
  ) {
    this.js = jetstream(connection);
    this.retryMs = options.retryMs ?? 1000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  }

  get waiting(): number {
    return this.queue.length;
  }

  add(message: OutboxMessage): void {
    if (this.queue.length >= this.options.limit) {
      const dropped = this.queue.shift()!;
      this.events.error({
        subject: dropped.subject,
        code: 'outbox-full',
        message: `dropped ${this.options.what} ${dropped.msgId}: ${this.options.limit} wait for JetStream`,
      });
    }
    this.queue.push(message);
    void this.flush();
  }

  /** Tries the waiting messages once more, for a bounded time; used at shutdown. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.stop();
  }

  /** No more retries (the connection is about to close). */
  stop(): void {
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

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const message = this.queue[0];
        const encoded = this.encode(message);
        if (encoded) {
          await this.js.publish(message.subject, encoded, {
            msgID: message.msgId,
            timeout: this.publishTimeoutMs,
          });
        }
        this.queue.shift();
      }
    } catch (error) {
      this.events.error({
        subject: this.options.wildcard,
        code: `${this.options.what}-publish-failed`,
        message: `${error instanceof Error ? error.message : String(error)}; ${this.queue.length} ${this.options.what}(s) kept for retry`,
      });
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        void this.flush();
      }, this.retryMs);
    } finally {
      this.flushing = false;
    }
  }
}

import { jetstream, type JetStreamClient, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { encodeDeadLetter, type DeadLetter, type Subjects } from '@meshmon/contracts';
import { ensureStream } from '@meshmon/service-runtime';

const NANOS_PER_MS = 1_000_000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Publishes refused messages into a small stream of their own, so they outlive the
 * moment nobody listens (`nats stream view MESHMON_<C>_DEAD_LETTERS` shows them).
 */
export class DeadLetters {
  private readonly js: JetStreamClient;

  constructor(
    private readonly connection: NatsConnection,
    private readonly subjects: Subjects,
  ) {
    this.js = jetstream(connection);
  }

  /**
   * Creates the stream if missing: a week on disk, at most 256 MiB (oldest dropped), and
   * a deduplication window so that a dead letter re-sent after a crash is kept once.
   */
  async ensureStream(): Promise<void> {
    await ensureStream(this.connection, {
      name: this.subjects.deadLetterStream,
      subjects: [this.subjects.deadLetter],
      storage: 'file' as StreamConfig['storage'],
      max_age: 7 * DAY_MS * NANOS_PER_MS,
      max_bytes: 256 * 1024 ** 2,
      discard: 'old' as StreamConfig['discard'],
      duplicate_window: 10 * 60 * 1000 * NANOS_PER_MS,
    });
  }

  /**
   * Resolves once JetStream stored it. The message id is the origin's stream and sequence:
   * a refused message redelivered before its ack is dead-lettered once.
   */
  async publish(deadLetter: DeadLetter): Promise<void> {
    await this.js.publish(this.subjects.deadLetter, encodeDeadLetter(deadLetter), {
      msgID: `${deadLetter.stream}:${deadLetter.sequence}`,
      timeout: 5000,
    });
  }
}

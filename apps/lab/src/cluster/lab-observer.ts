import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeMeasurementResult, type MeasurementResult, type Subjects } from '@meshmon/contracts';

export interface ObservedEvent {
  readonly type: string;
  readonly node: string;
  readonly service: string;
  readonly atMs: number;
  readonly fields: Record<string, unknown>;
}

/**
 * Watches a running cluster from outside, as an operator would: results from the JetStream
 * stream (so the lab sees exactly what was persisted), events from the events subjects.
 */
/** How long the observer waits for the first monitor to make the results stream. */
const STREAM_WAIT_MS = 120_000;

export class LabObserver {
  readonly results: MeasurementResult[] = [];
  readonly eventCounts: Record<string, number> = {};
  readonly errors: ObservedEvent[] = [];
  /** Every event, in arrival order (a lab run has thousands, not millions). */
  readonly eventLog: ObservedEvent[] = [];
  /** monitor -> sensor of measurements granted and not yet reported. */
  readonly inFlight = new Map<string, string>();
  private readonly resultListeners: ((result: MeasurementResult) => void)[] = [];
  private readonly eventListeners: ((event: ObservedEvent) => void)[] = [];
  private subscription: Subscription | null = null;
  private stopConsumer: (() => void) | null = null;
  private stopped = false;
  invalidResults = 0;

  constructor(
    private readonly connection: NatsConnection,
    readonly subjects: Subjects,
  ) {}

  onResult(listener: (result: MeasurementResult) => void): void {
    this.resultListeners.push(listener);
  }

  /** Calls `listener` with every event from now on, until the returned function is called. */
  onEvent(listener: (event: ObservedEvent) => void): () => void {
    this.eventListeners.push(listener);
    return () => {
      const index = this.eventListeners.indexOf(listener);
      if (index >= 0) this.eventListeners.splice(index, 1);
    };
  }

  async start(): Promise<void> {
    const decoder = new TextDecoder();
    this.subscription = this.connection.subscribe(this.subjects.eventsWildcard, {
      callback: (error, msg) => {
        if (error) return;
        try {
          const body = JSON.parse(decoder.decode(msg.data)) as Record<string, unknown>;
          const type = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
          const event: ObservedEvent = {
            type,
            node: String(body.node ?? ''),
            service: String(body.service ?? ''),
            atMs: Number(body.atMs ?? Date.now()),
            fields: { ...((body.event as Record<string, unknown>) ?? body) },
          };
          this.record(event);
        } catch {
          this.eventCounts['unreadable-event'] = (this.eventCounts['unreadable-event'] ?? 0) + 1;
        }
      },
    });
    void this.readResults().catch((error: unknown) =>
      this.labError('results-unreadable', error instanceof Error ? error.message : String(error)),
    );
  }

  /** An error of the lab's own reading of the results, counted like the services' errors. */
  private labError(code: string, message: string): void {
    this.record({
      type: 'error',
      node: '',
      service: 'lab',
      atMs: Date.now(),
      fields: { subject: this.subjects.resultsWildcard, code, message },
    });
  }

  /**
   * The results stream is made by the first monitor (the observer may read streams, not
   * make them, like any user with the NATS CLI), so reading waits for it: every result
   * since the stream began is read all the same.
   */
  private async readResults(): Promise<void> {
    const js = jetstream(this.connection);
    const deadline = Date.now() + STREAM_WAIT_MS;
    let consumer: Awaited<ReturnType<typeof js.consumers.get>> | null = null;
    while (consumer === null && !this.stopped) {
      consumer = await js.consumers.get(this.subjects.resultsStream).catch(() => null);
      if (consumer !== null) break;
      if (Date.now() > deadline) {
        const wait = STREAM_WAIT_MS / 1000;
        const stream = this.subjects.resultsStream;
        this.labError(
          'stream-unavailable',
          `the results stream ${stream} did not appear within ${wait} s`,
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (consumer === null) return;
    const messages = await consumer.consume();
    this.stopConsumer = () => void messages.stop();
    if (this.stopped) this.stopConsumer();
    for await (const message of messages) {
      const decoded = decodeMeasurementResult(message.data);
      if (!decoded.ok) {
        this.invalidResults += 1;
        this.record({
          type: 'error',
          node: '',
          service: 'lab',
          atMs: Date.now(),
          fields: {
            subject: message.subject,
            code: 'invalid-result',
            problems: decoded.problems,
          },
        });
        continue;
      }
      const result = decoded.value;
      this.results.push(result);
      this.inFlight.delete(result.monitor);
      for (const listener of this.resultListeners) listener(result);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.stopConsumer?.();
  }

  private record(event: ObservedEvent): void {
    this.eventCounts[event.type] = (this.eventCounts[event.type] ?? 0) + 1;
    this.eventLog.push(event);
    if (event.type === 'error') this.errors.push(event);
    if (event.type === 'slot-granted') {
      this.inFlight.set(String(event.fields.monitor), String(event.fields.sensor));
    } else if (event.type === 'lease-expired') {
      // A grant the monitor turned down (it had stopped waiting) ends with the lock lapsing.
      const monitor = String(event.fields.monitor);
      if (this.inFlight.get(monitor) === String(event.fields.sensor)) this.inFlight.delete(monitor);
    }
    for (const listener of this.eventListeners) listener(event);
  }
}

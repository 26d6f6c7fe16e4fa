import type { NatsConnection } from '@nats-io/transport-node';
import {
  encodeErrorEventMessage,
  encodeSchedulerEventMessage,
  errorReply,
  type Problem,
  type ServiceEvent,
  type ServiceName,
  type Subjects,
} from '@meshmon/contracts';

export type { Problem };

/**
 * Publishes what a service does on `meshmon.<cluster>.v1.events.<type>`, where operators
 * watch with `nats sub 'meshmon.<cluster>.v1.events.>'` and the lab collects its report.
 * Publishing is fire-and-forget: an event lost while NATS is down is not worth blocking on.
 */
export class EventPublisher {
  constructor(
    private readonly connection: NatsConnection,
    private readonly subjects: Subjects,
    private readonly node: string,
    private readonly service: ServiceName,
  ) {}

  /** The core's events (role-switched, slot-granted, ...) and the service's own. */
  publish(event: ServiceEvent): void {
    this.send(this.subjects.event(event.type), () =>
      encodeSchedulerEventMessage({
        v: 1,
        cluster: this.subjects.cluster,
        node: this.node,
        service: this.service,
        atMs: Date.now(),
        event,
      }),
    );
  }

  /** A message this service refused, or a failure it survived. */
  error(report: {
    subject: string;
    code: string;
    message: string;
    problems?: readonly Problem[];
  }): void {
    // errorReply bounds the message and the problem list so the event always encodes.
    const { error } = errorReply(report.code, report.message, report.problems);
    this.send(this.subjects.errorEvents, () =>
      encodeErrorEventMessage({
        v: 1,
        cluster: this.subjects.cluster,
        node: this.node,
        service: this.service,
        atMs: Date.now(),
        // The contract wants a subject; a failure tied to none (a timer, a rejection) says so.
        subject: (report.subject || '-').slice(0, 256),
        code: error.code,
        message: error.message,
        problems: [...(error.problems ?? [])],
      }),
    );
  }

  /**
   * Runs a side operation the service must survive (a Redis write, say): a failure is
   * reported as `code` on `events.error` and goes no further.
   */
  async survive(subject: string, code: string, operation: () => Promise<unknown>): Promise<void> {
    try {
      await operation();
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure);
      this.error({ subject, code, message });
    }
  }

  private send(subject: string, encode: () => Uint8Array): void {
    if (this.connection.isClosed()) return;
    try {
      this.connection.publish(subject, encode());
    } catch (failure) {
      // Closed connection, or an event our own contract refuses: never worth a crash.
      if (!this.connection.isClosed())
        console.error(`event on ${subject} not sent: ${String(failure)}`);
    }
  }
}

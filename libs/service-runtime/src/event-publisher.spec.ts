import type { NatsConnection } from '@nats-io/transport-node';
import { decodeErrorEventMessage, Subjects } from '@meshmon/contracts';
import { EventPublisher } from './event-publisher.js';

/** Records what is published: the only part of a connection EventPublisher uses. */
class RecordingConnection {
  readonly published: { subject: string; data: Uint8Array }[] = [];

  publish(subject: string, data: Uint8Array): void {
    this.published.push({ subject, data });
  }

  isClosed(): boolean {
    return false;
  }
}

describe(EventPublisher.name, () => {
  const subjects = new Subjects('c1');
  let connection: RecordingConnection;
  let sut: EventPublisher;

  beforeEach(() => {
    connection = new RecordingConnection();
    sut = new EventPublisher(connection as unknown as NatsConnection, subjects, 'n1', 'monitor');
  });

  it('survive - a failing operation is reported under its code and subject, and goes no further', async () => {
    await expect(
      sut.survive('meshmon:c1:x', 'redis-write-failed', () => Promise.reject(new Error('down'))),
    ).resolves.toBeUndefined();

    expect(connection.published.map((p) => p.subject)).toEqual([subjects.errorEvents]);
    const decoded = decodeErrorEventMessage(connection.published[0].data);
    expect(
      decoded.ok && [decoded.value.subject, decoded.value.code, decoded.value.message],
    ).toEqual(['meshmon:c1:x', 'redis-write-failed', 'down']);
  });

  it('survive - an operation that succeeds reports nothing', async () => {
    await sut.survive('k', 'redis-write-failed', () => Promise.resolve('ok'));

    expect(connection.published).toEqual([]);
  });

  it('error - a failure tied to no subject is still sent, as "-"', () => {
    sut.error({ subject: '', code: 'unhandled-rejection', message: 'x' });

    const decoded = decodeErrorEventMessage(connection.published[0].data);
    expect(decoded.ok && decoded.value.subject).toBe('-');
  });
});

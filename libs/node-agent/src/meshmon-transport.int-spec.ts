import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { decodeErrorReply, encodeSchedulerControl, Subjects } from '@meshmon/contracts';
import { EventPublisher } from '@meshmon/service-runtime';
import { MeshmonTransport, Patterns } from './meshmon-transport.js';
import { developerNatsLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

// Against the real local NATS (infra/local): nothing of NATS is mocked.
jest.setTimeout(20_000);

const NATS_URL = process.env.MESHMON_NATS_URL ?? 'nats://127.0.0.1:4222';
const connections: NatsConnection[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
});

async function transportFor(): Promise<{
  sut: MeshmonTransport;
  nc: NatsConnection;
  subjects: Subjects;
}> {
  const nc = await connect({ servers: NATS_URL, ...developerNatsLogin() });
  connections.push(nc);
  const subjects = new Subjects(`t${randomUUID().slice(0, 8)}`);
  const events = new EventPublisher(nc, subjects, 'n1', 'controller');
  const sut = new MeshmonTransport(nc, subjects, 'n1', 'controller', events);
  return { sut, nc, subjects };
}

const stopOrder = () =>
  encodeSchedulerControl({ v: 1, action: 'stop', runId: randomUUID(), requestedAtMs: Date.now() });

describe(MeshmonTransport.name, () => {
  it('meshmon transport - close waits for the handlers still running', async () => {
    const { sut, nc, subjects } = await transportFor();
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      sut.addHandler(
        Patterns.schedulerControl,
        async () => {
          resolve();
          await new Promise<void>((done) => (release = done));
        },
        true,
      );
    });
    sut.listen(() => undefined);
    await nc.flush();
    nc.publish(subjects.schedulerControl, stopOrder());
    await started;

    let closed = false;
    const closing = sut.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(closed).toBe(true);
  });

  it('meshmon transport - refuses a request nobody serves with the contracts error reply', async () => {
    const { sut, nc, subjects } = await transportFor();
    sut.listen(() => undefined);
    await nc.flush();

    const answer = await nc.request(subjects.schedulerControl, stopOrder(), { timeout: 2000 });

    const decoded = decodeErrorReply(answer.data);
    expect(decoded.ok && decoded.value.error.code).toBe('no-handler');
  });

  it('meshmon transport - hands NATS status changes to on() listeners', async () => {
    const { sut, nc } = await transportFor();
    const seen: string[] = [];
    sut.on('reconnecting', (status) => seen.push(status.type));
    sut.listen(() => undefined);

    // Reconnecting is what the client reports when the server goes; forcing a reconnect
    // is the one way to see it without stopping the shared server.
    nc.reconnect();
    const deadline = Date.now() + 5000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    expect(seen).toContain('reconnecting');
  });
});

/** The streams as the services make them, against the real NATS (infra/local/start.sh). */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Subjects } from '@meshmon/contracts';
import { ensureEventsStream } from './results-stream.js';
import { developerNatsLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

const HOUR_NS = 3600 * 1e9;

describe(ensureEventsStream.name, () => {
  const subjects = new Subjects(`streams-${randomBytes(4).toString('hex')}`);
  let nats: NatsConnection;

  beforeAll(async () => {
    nats = await connect({ servers: 'nats://127.0.0.1:4222', ...developerNatsLogin() });
  });

  afterAll(async () => {
    const manager = await jetstreamManager(nats);
    await manager.streams.delete(subjects.eventsStream).catch(() => undefined);
    await nats.close();
  });

  it('events stream - kept for the retention asked, a day by default, and changed when the setting changes', async () => {
    const manager = await jetstreamManager(nats);

    await ensureEventsStream(nats, subjects);
    const first = (await manager.streams.info(subjects.eventsStream)).config.max_age;
    await ensureEventsStream(nats, subjects, 72);
    const changed = (await manager.streams.info(subjects.eventsStream)).config.max_age;

    expect([first / HOUR_NS, changed / HOUR_NS]).toEqual([24, 72]);
  });
});

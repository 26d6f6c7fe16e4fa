/**
 * The outbox against the real NATS (infra/local/start.sh): messages kept while JetStream
 * has no stream for them, and, with a journal, kept across the death of the process.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamOutbox } from './jetstream-outbox.js';
import { OutboxJournal } from './outbox-journal.js';
import { ensureStream } from './results-stream.js';
import { developerNatsLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

describe(JetStreamOutbox.name, () => {
  const stream = `OUTBOX_${randomBytes(4).toString('hex').toUpperCase()}`;
  const subject = `outbox-test.${stream}.m`;
  let nats: NatsConnection;
  const reports: string[] = [];
  const events = { error: (report: { code: string }) => void reports.push(report.code) };

  beforeAll(async () => {
    nats = await connect({ servers: 'nats://127.0.0.1:4222', ...developerNatsLogin() });
  });

  afterAll(async () => {
    const manager = await jetstreamManager(nats);
    await manager.streams.delete(stream).catch(() => undefined);
    await nats.close();
  });

  const outboxWith = (journal: OutboxJournal) =>
    new JetStreamOutbox(nats, events, {
      what: 'result',
      wildcard: `outbox-test.${stream}.>`,
      limit: 100,
      retryMs: 100,
      publishTimeoutMs: 500,
      journal,
    });

  const message = (n: number) => ({
    subject,
    msgId: `m${n}`,
    encode: () => new TextEncoder().encode(`{"n":${n}}`),
  });

  it('outbox - what a process could not publish before it died, the next one publishes, once each', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'outbox-int-')), 'outbox');
    // No stream yet: JetStream refuses every publish, as it does while unreachable.
    const dying = outboxWith(new OutboxJournal(folder));
    for (let n = 1; n <= 3; n++) dying.add(message(n));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dying.waiting).toBe(3);
    dying.stop(); // the process is gone; its files are not
    expect(readdirSync(folder)).toHaveLength(3);

    await ensureStream(nats, {
      name: stream,
      subjects: [`outbox-test.${stream}.>`],
      duplicate_window: 60 * 1e9,
    });
    // And one another cluster's outbox left: set aside, not in the way of the others.
    new OutboxJournal(folder).append('elsewhere.results.x', 'foreign', new Uint8Array([1]));
    const next = outboxWith(new OutboxJournal(folder));
    next.add(message(4));
    // One of them again, as if it had been sent just before the crash: stored once.
    next.add(message(2));
    await next.drain(10_000);

    const manager = await jetstreamManager(nats);
    const info = await manager.streams.info(stream);
    expect(info.state.messages).toBe(4);
    const stored: string[] = [];
    for (let seq = 1; seq <= 4; seq++) {
      const stored1 = await manager.streams.getMessage(stream, { seq });
      stored.push(new TextDecoder().decode(stored1!.data));
    }
    expect(stored).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']);
    expect(readdirSync(folder)).toEqual([expect.stringMatching(/\.json\.other$/)]);
    expect(reports).toContain('result-publish-failed');
    expect(reports).toContain('outbox-foreign');
  });
});

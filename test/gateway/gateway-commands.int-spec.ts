import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Subscription } from '@nats-io/transport-node';
import {
  decodeManualIntents,
  decodeSchedulerControl,
  decodeSchedulerEnvelope,
} from '@meshmon/contracts';
import { knowNodes, startHarness, until, type Harness } from './gateway-harness.js';

jest.setTimeout(60_000);

/** Collects what arrives on a subject, decoded. */
function collect<T>(harness: Harness, subject: string, decode: (data: Uint8Array) => T) {
  const seen: T[] = [];
  const subscription: Subscription = harness.nats.subscribe(subject, {
    callback: (_error, msg) => {
      seen.push(decode(msg.data));
    },
  });
  return { seen, stop: () => subscription.unsubscribe() };
}

describe('gateway commands', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('gw-cmd');
    await knowNodes(harness, ['n1', 'n2', 'n3']);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('scheduler - start writes the order to Redis and broadcasts a decodable control message', async () => {
    const control = collect(harness, harness.subjects.schedulerControl, decodeSchedulerControl);
    await harness.nats.flush();

    const response = await harness.call('POST', '/api/v1/scheduler/start', {
      body: { algorithm: 'cps', 'cps.listeningMs': 640 },
    });

    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ algorithm: 'cps', params: { 'cps.listeningMs': 640 } });
    const stored = decodeSchedulerControl(
      (await harness.redis.get(harness.subjects.redis.schedulerState)) ?? '',
    );
    expect(stored).toEqual({
      ok: true,
      value: expect.objectContaining({ action: 'start', runId: response.json.runId }),
    });
    const sent = await until('the control message', () => control.seen[0]);
    expect(sent).toEqual({
      ok: true,
      value: expect.objectContaining({
        action: 'start',
        algorithm: 'cps',
        runId: response.json.runId,
      }),
    });
    expect((await harness.call('GET', '/api/v1/scheduler')).json).toMatchObject({
      state: 'running',
      runId: response.json.runId,
    });
    control.stop();
  });

  it('scheduler - stop names the run in force and the state says stopped', async () => {
    const running = (await harness.call('GET', '/api/v1/scheduler')).json;
    const control = collect(harness, harness.subjects.schedulerControl, decodeSchedulerControl);
    await harness.nats.flush();

    const response = await harness.call('POST', '/api/v1/scheduler/stop');

    expect(response.status).toBe(202);
    expect(response.json.runId).toBe(running.runId);
    const sent = await until('the stop message', () => control.seen[0]);
    expect(sent).toEqual({
      ok: true,
      value: expect.objectContaining({ action: 'stop', runId: running.runId }),
    });
    expect((await harness.call('GET', '/api/v1/scheduler')).json).toMatchObject({
      state: 'stopped',
    });
    control.stop();
  });

  it('intents - add, list and remove a hand-made intent, announcing the whole list each time', async () => {
    const control = collect(harness, harness.subjects.intentsControl, decodeManualIntents);
    await harness.nats.flush();

    const added = await harness.call('POST', '/api/v1/intents', {
      body: { monitor: 'n1', sensor: 'n2' },
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      monitor: 'n1',
      sensor: 'n2',
      source: 'manual',
      sinceMs: expect.any(Number),
    });
    expect(await harness.redis.hget(harness.subjects.redis.manualIntents, 'n1:n2')).toBe(
      JSON.stringify({ sinceMs: added.json.sinceMs }),
    );

    // A discovered intent, as a controller writes it, shows beside the hand-made one.
    await harness.redis.hset(
      harness.subjects.redis.discoveredIntents('n3'),
      'n3:n1',
      JSON.stringify({ sinceMs: 5, lastSeenMs: 6 }),
    );
    const listed = await harness.call('GET', '/api/v1/intents');
    expect(listed.json).toEqual({
      mode: 'intents',
      intents: [
        { monitor: 'n1', sensor: 'n2', source: 'manual', sinceMs: added.json.sinceMs },
        { monitor: 'n3', sensor: 'n1', source: 'discovered', sinceMs: 5 },
      ],
    });
    const pairs = (await harness.call('GET', '/api/v1/pairs')).json.pairs as {
      monitor: string;
      sensor: string;
      inScope: boolean;
    }[];
    expect(
      pairs
        .filter((pair) => pair.inScope)
        .map((pair) => `${pair.monitor}>${pair.sensor}`)
        .sort(),
    ).toEqual(['n1>n2', 'n3>n1']);

    expect((await harness.call('DELETE', '/api/v1/intents/n1/n2')).status).toBe(204);
    expect((await harness.call('DELETE', '/api/v1/intents/n1/n2')).status).toBe(404);
    await until('two intents messages', () => (control.seen.length >= 2 ? true : undefined));
    expect(
      control.seen.map((decoded) => (decoded.ok ? decoded.value.pairs : decoded.problems)),
    ).toEqual([[['n1', 'n2']], []]);
    control.stop();

    // No intents at all: every pair; a controller in discovery mode: only intents, even none.
    await harness.redis.del(harness.subjects.redis.discoveredIntents('n3'));
    expect((await harness.call('GET', '/api/v1/intents')).json).toEqual({
      mode: 'all',
      intents: [],
    });
    await harness.redis.hset(harness.subjects.redis.discoveryMode, 'n3', 'on');
    expect((await harness.call('GET', '/api/v1/intents')).json).toEqual({
      mode: 'intents',
      intents: [],
    });
    await harness.redis.del(harness.subjects.redis.discoveryMode);
  });

  it('priority - a pin goes to the monitor as a priority-override from its own controller, in the run in force', async () => {
    const run = (
      await harness.call('POST', '/api/v1/scheduler/start', { body: { algorithm: 'rr' } })
    ).json.runId;
    const subject = harness.subjects.schedulerMessage('n1', 'monitor', 'priority-override');
    const envelopes = collect(harness, subject, decodeSchedulerEnvelope);
    await harness.nats.flush();

    const pinned = await harness.call('PUT', '/api/v1/pairs/n1/n2/priority', {
      body: { priorityMs: 60_000 },
    });
    const unpinned = await harness.call('PUT', '/api/v1/pairs/n1/n2/priority', {
      body: { priorityMs: null },
    });

    expect(pinned.json).toEqual({ monitor: 'n1', sensor: 'n2', priorityMs: 60_000, pinned: true });
    expect(unpinned.json).toEqual({ monitor: 'n1', sensor: 'n2', priorityMs: null, pinned: false });
    await until('two envelopes', () => (envelopes.seen.length >= 2 ? true : undefined));
    expect(envelopes.seen[0]).toEqual({
      ok: true,
      value: {
        from: { node: 'n1', module: 'controller' },
        sentAtMs: expect.any(Number),
        run,
        message: { type: 'priority-override', sensor: 'n2', priorityMs: 60_000 },
      },
    });
    expect(envelopes.seen[1]).toMatchObject({ ok: true, value: { message: { priorityMs: null } } });
    envelopes.stop();
  });

  it('priority - pins the monitor stored in Redis show in the pairs', async () => {
    await harness.redis.hset(
      `${harness.subjects.redis.prefix}:monitor:n2:pinned-priority`,
      'n3',
      '1234',
    );
    await harness.redis.hset(
      `${harness.subjects.redis.prefix}:monitor:n2:last-measured`,
      'n3',
      '1000',
    );

    const pair = await until('the stored pin in the pairs', async () => {
      const pairs = (await harness.call('GET', '/api/v1/pairs')).json.pairs as Record<
        string,
        unknown
      >[];
      const found = pairs.find((entry) => entry.monitor === 'n2' && entry.sensor === 'n3');
      return found?.pinned ? found : undefined;
    });
    expect(pair).toMatchObject({ priorityMs: 1234, pinned: true, lastMeasuredMs: 1000 });
  });
});

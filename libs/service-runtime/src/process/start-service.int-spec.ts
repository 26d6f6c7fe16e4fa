/**
 * The one boot and shutdown order every service gets, against a real NATS (the test's own,
 * with its monitoring port, so /connz shows exactly which connections are open) and the
 * real Redis (CLIENT LIST shows the runtime's client by its name).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  decodeResourceSample,
  decodeSchedulerEventMessage,
  Subjects,
  type ResourceSample,
} from '@meshmon/contracts';
import { LeaseStoreError } from '@meshmon/leases';
import { ConfigError } from '../errors/config-error.js';
import { freePort, ownNatsServer } from '../testing/own-nats-server.js';
import { startService, type ServiceBase, type ServiceDefinition } from './start-service.js';
import {
  developerRedisLogin,
  suiteRedisCredentials,
} from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(30_000);

interface Config {
  readonly cluster: string;
  readonly node: string;
  readonly natsUrl: string;
  readonly redisUrl: string;
  readonly sampleSeconds: number;
  readonly run: string;
  readonly orchestrator: 'process';
}

const CLUSTER = 'start-service-test';
const TEST_REDIS_URL = process.env.MESHMON_REDIS_URL ?? 'redis://127.0.0.1:6379';
let server: ChildProcess;
let natsUrl: string;
let monitorUrl: string;
let watcher: NatsConnection;
let redis: Redis;
let storeDir: string;
/** Event types seen on the bus, as `<node> <type>`. */
const seen: string[] = [];

async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The names of the connections the NATS server has open now. */
async function natsClients(): Promise<string[]> {
  const answer = (await (await fetch(`${monitorUrl}/connz?limit=1000`)).json()) as {
    connections?: { name?: string }[];
  };
  return (answer.connections ?? []).map((connection) => connection.name ?? '');
}

async function redisClients(): Promise<string[]> {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  return [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1]);
}

beforeAll(async () => {
  const [port, monitor] = [await freePort(), await freePort()];
  storeDir = mkdtempSync(join(tmpdir(), 'start-service-js-'));
  server = ownNatsServer(port, { monitorPort: monitor, jetStreamDir: storeDir });
  natsUrl = `nats://127.0.0.1:${port}`;
  monitorUrl = `http://127.0.0.1:${monitor}`;
  watcher = await until('the test NATS server', () =>
    connect({ servers: natsUrl, name: 'watcher' }).catch(() => undefined),
  );
  const subjects = new Subjects(CLUSTER);
  for (const type of ['service-started', 'service-stopping'] as const) {
    watcher.subscribe(subjects.event(type), {
      callback: (_error, message) => {
        const decoded = decodeSchedulerEventMessage(message.data);
        if (decoded.ok) seen.push(`${decoded.value.node} ${decoded.value.event.type}`);
      },
    });
  }
  await watcher.flush();
  redis = new Redis(TEST_REDIS_URL, developerRedisLogin());
});

afterAll(async () => {
  await watcher?.close();
  redis?.disconnect();
  server?.kill('SIGKILL');
  rmSync(storeDir, { recursive: true, force: true });
});

/** Waits until the servers no longer list a client of that name (they see a close late). */
async function gone(name: string): Promise<void> {
  await until(`${name} gone from NATS`, async () =>
    (await natsClients()).includes(name) ? undefined : true,
  );
  await until(`${name} gone from Redis`, async () =>
    (await redisClients()).includes(name) ? undefined : true,
  );
}

/** A service whose Nest part only records what it saw when it was closed. */
function definition(
  node: string,
  log: string[],
  overrides: Partial<ServiceDefinition<Config, { close(): Promise<void> }>> = {},
): ServiceDefinition<Config, { close(): Promise<void> }> {
  return {
    service: 'controller',
    settings: () => ({
      cluster: CLUSTER,
      node,
      natsUrl,
      redisUrl: TEST_REDIS_URL,
      redisCredentials: suiteRedisCredentials(),
      sampleSeconds: 0,
      run: 'live',
      orchestrator: 'process',
    }),
    identity: (config) => config,
    redis: 'required',
    nest: async (base: ServiceBase<Config>) => {
      log.push('nest');
      return {
        close: async () => {
          // service-stopping must already be on its way: it arrives while Nest closes.
          const announced = await until('service-stopping', () =>
            seen.includes(`${node} service-stopping`) ? true : undefined,
          ).catch(() => false);
          log.push(
            `nest closed: stopping announced ${announced}, NATS ${base.connection.isClosed() ? 'closed' : 'open'}, Redis ${base.redis?.status}`,
          );
        },
      };
    },
    ...overrides,
  };
}

describe(startService.name, () => {
  it('start service - opens NATS, Redis and Nest, then says started; closes Nest, then NATS, then Redis', async () => {
    const log: string[] = [];
    const service = await startService(definition('n-order', log), {});

    await until('service-started', () =>
      seen.includes('n-order service-started') ? true : undefined,
    );
    expect(await natsClients()).toContain('meshmon-controller-n-order');
    expect(await redisClients()).toContain('meshmon-controller-n-order');
    expect(await service.readiness()).toEqual([]);
    // Its own figures for the health port's /metrics: process, NATS and Redis client state.
    const metrics = await service.metrics.text();
    const whose = 'service="controller",node="n-order"';
    expect(metrics).toContain(`meshmon_nats_connected{${whose}} 1`);
    expect(metrics).toContain(`meshmon_redis_connected{${whose}} 1`);
    expect(metrics).toMatch(new RegExp(`meshmon_nats_messages_out_total\\{${whose}\\} [1-9]`));
    expect(metrics).toContain(`meshmon_service_process_cpu_seconds_total{${whose}}`);

    await service.close();
    expect(log).toEqual(['nest', 'nest closed: stopping announced true, NATS open, Redis ready']);
    expect(service.base.connection.isClosed()).toBe(true);
    await gone('meshmon-controller-n-order');
  });

  it('start service - closing twice closes once', async () => {
    const log: string[] = [];
    const service = await startService(definition('n-twice', log, { redis: undefined }), {});

    await Promise.all([service.close(), service.close()]);
    await service.close();

    expect(log.filter((line) => line.startsWith('nest closed'))).toHaveLength(1);
    expect(seen.filter((line) => line === 'n-twice service-stopping')).toHaveLength(1);
  });

  it('start service - bad settings: nothing is opened', async () => {
    const log: string[] = [];
    const bad = definition('n-settings', log, {
      settings: () => {
        throw new ConfigError([{ field: 'MESHMON_TEST', rule: 'must be set' }]);
      },
    });

    await expect(startService(bad, {})).rejects.toThrow('MESHMON_TEST: must be set');

    expect(log).toEqual([]);
    expect((await natsClients()).filter((name) => name.includes('n-settings'))).toEqual([]);
  });

  it('start service - no Redis: NATS is closed again and nothing else starts', async () => {
    const log: string[] = [];
    const noRedis = definition('n-redis', log, {
      settings: async () => ({
        cluster: CLUSTER,
        node: 'n-redis',
        natsUrl,
        redisUrl: `redis://127.0.0.1:${await freePort()}`,
        sampleSeconds: 0,
        run: 'live',
        orchestrator: 'process',
      }),
    });

    await expect(startService(noRedis, {})).rejects.toThrow(LeaseStoreError);

    expect(log).toEqual([]);
    await gone('meshmon-controller-n-redis');
    expect(seen).not.toContain('n-redis service-started');
  });

  it('start service - Nest fails: Redis and NATS are closed again, nothing said started', async () => {
    const log: string[] = [];
    const failing = definition('n-nest', log, {
      nest: async () => {
        log.push('nest');
        throw new Error('a module failed');
      },
    });

    await expect(startService(failing, {})).rejects.toThrow('a module failed');

    expect(log).toEqual(['nest']);
    await gone('meshmon-controller-n-nest');
    expect(seen).not.toContain('n-nest service-started');
  });

  it('start service - samples itself every interval into the samples stream, and stops on close', async () => {
    const subjects = new Subjects(CLUSTER);
    const samples: ResourceSample[] = [];
    const subscription = watcher.subscribe(subjects.samplesWildcard, {
      callback: (_error, message) => {
        const decoded = decodeResourceSample(message.data);
        if (decoded.ok) samples.push(decoded.value);
        else throw new Error(`a sample the contract refuses: ${JSON.stringify(decoded.problems)}`);
      },
    });
    const log: string[] = [];
    const sampled = definition('n-sampled', log, {
      redis: undefined,
      settings: () => ({
        cluster: CLUSTER,
        node: 'n-sampled',
        natsUrl,
        redisUrl: TEST_REDIS_URL,
        sampleSeconds: 1,
        run: 'run-7',
        orchestrator: 'process',
      }),
    });

    const service = await startService(sampled, {});
    await until('three samples', () => (samples.length >= 3 ? true : undefined));
    await service.close();
    const atClose = samples.length;
    await sleep(2500);
    subscription.unsubscribe();

    const [first, second, third] = samples;
    const boot = first.sampleId.split('.')[0];
    expect(samples.map((sample) => sample.sampleId).slice(0, 3)).toEqual([
      `${boot}.1`,
      `${boot}.2`,
      `${boot}.3`,
    ]);
    expect(first).toMatchObject({
      cluster: CLUSTER,
      run: 'run-7',
      orchestrator: 'process',
      service: 'controller',
      node: 'n-sampled',
      intervalMs: 0,
      cpuPercent: null,
    });
    for (const later of [second, third]) {
      expect(later.intervalMs).toBeGreaterThanOrEqual(900);
      expect(later.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(later.process.cpuUserUs + later.process.cpuSystemUs).toBeGreaterThanOrEqual(
        first.process.cpuUserUs + first.process.cpuSystemUs,
      );
    }
    expect(first.process.rssBytes).toBeGreaterThan(10_000_000);
    expect(first.process.heapUsedBytes).toBeGreaterThan(0);
    expect(first.net).not.toBeNull();
    // Linux with cgroups (v1 here, v2 on most clusters): the group's counters are there.
    expect(first.cgroup?.cpuUsageNs).toBeGreaterThan(0);
    expect(samples.length).toBe(atClose);
    const stream = await (await jetstreamManager(watcher)).streams.info(subjects.samplesStream);
    expect(stream.state.messages).toBe(samples.length);
  });
});

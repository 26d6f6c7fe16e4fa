/**
 * Manual measurements beside scheduler runs, on a real two-node cluster: the controller,
 * sensor and monitor of n1 (127.0.0.2) and n2 (127.0.0.3) run in this process as the real
 * Nest services on the real NATS, Redis and iperf3. The invariant checked throughout: no
 * node is ever in two measurements at once, whatever runs, stops or is asked for by hand.
 */
import 'reflect-metadata';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import {
  decodeErrorEventMessage,
  decodeMeasureReply,
  decodeMeasurementResult,
  decodeSchedulerEnvelope,
  decodeSchedulerEventMessage,
  encodeMeasureRequest,
  encodeSchedulerControl,
  Subjects,
  type MeasureReply,
  type MeasurementResult,
  type SchedulerControl,
} from '@meshmon/contracts';
import { checkConflicts } from '@meshmon/analysis';
import {
  connectRedis,
  ManualReservations,
  scheduledLeaseHolder,
  SensorLeases,
  type Lease,
} from '@meshmon/leases';
import { loadAgentConfig, nodeService, type AgentRuntime } from '@meshmon/node-agent';
import { EventPublisher, serviceMetrics, startService } from '@meshmon/service-runtime';
import type { AlgorithmName, ModuleKind } from '@meshmon/scheduling';
import { ControllerModule } from '../../apps/controller/src/controller.module.js';
import { SensorModule } from '../../apps/sensor/src/sensor.module.js';
import { ManualMeasurements } from '../../apps/monitor/src/manual-measurements.js';
import { MonitorModule } from '../../apps/monitor/src/monitor.module.js';
import { MonitorService } from '../../apps/monitor/src/monitor.service.js';
import { ProbeRunner } from '../../apps/monitor/src/probe-runner.js';
import {
  developerNatsLogin,
  developerRedisLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(240_000);

const NODES = { n1: '127.0.0.2', n2: '127.0.0.3' } as const;
type Node = keyof typeof NODES;
const MODULES: readonly ModuleKind[] = ['controller', 'sensor', 'monitor'];
const REGISTER: Record<ModuleKind, (runtime: AgentRuntime) => DynamicModule> = {
  controller: (runtime) => ControllerModule.register(runtime),
  sensor: (runtime) => SensorModule.register(runtime),
  monitor: (runtime) => MonitorModule.register(runtime),
};
const utf8 = new TextDecoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(
  check: () => boolean,
  ms: number,
  what: string,
  seen: () => unknown = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what} ${JSON.stringify(seen())}`);
    await sleep(50);
  }
}

interface Service {
  readonly node: Node;
  readonly module: ModuleKind;
  readonly runtime: AgentRuntime;
  readonly app: INestMicroservice;
  close(): Promise<void>;
}

/** The monitors' outboxes: this test's own folder, not the host's /var/lib/meshmon. */
const OUTBOX_ROOT = mkdtempSync(join(tmpdir(), 'manual-measurements-outbox-'));

/** One node service as its main starts it (the service runtime), in this process. */
async function startNodeService(
  cluster: string,
  node: Node,
  module: ModuleKind,
  portBase: number,
): Promise<Service> {
  const started = await startService(nodeService(module, REGISTER[module]), {
    MESHMON_NODE: node,
    MESHMON_CLUSTER: cluster,
    MESHMON_ADDRESS: NODES[node],
    MESHMON_MEMBERS: Object.keys(NODES).join(','),
    MESHMON_ALGORITHM: 'none',
    MESHMON_PROBE_SECONDS: '1',
    MESHMON_PING_COUNT: '2',
    MESHMON_IPERF_PORT_BASE: String(portBase),
    MESHMON_OUTBOX_DIR: OUTBOX_ROOT,
    ...serviceLoginEnv(module),
  });
  return { node, module, runtime: started.base, app: started.app, close: started.close };
}

/** Records the first lease acquired and the first release asked for, each slowed down. */
class TimedLeases extends SensorLeases {
  readonly acquiredAt: number[] = [];
  readonly releasingAt: number[] = [];

  override async acquire(sensor: string, holder: string, ttlMs: number): Promise<Lease | null> {
    await sleep(30);
    const lease = await super.acquire(sensor, holder, ttlMs);
    if (lease) this.acquiredAt.push(Date.now());
    return lease;
  }

  override async release(lease: Lease): Promise<boolean> {
    this.releasingAt.push(Date.now());
    await sleep(30);
    return super.release(lease);
  }
}

describe('manual measurements beside scheduler runs', () => {
  const cluster = `mm-${randomBytes(4).toString('hex')}`;
  const subjects = new Subjects(cluster);
  const services: Service[] = [];
  const results: MeasurementResult[] = [];
  const events: { node: string; service: string; type: string; runId?: string }[] = [];
  let nats: NatsConnection;
  let redis: Redis;
  let leases: SensorLeases;
  const trace: string[] = [];
  const traceStart = Date.now();

  beforeAll(async () => {
    nats = await connect({ servers: 'nats://127.0.0.1:4222', ...developerNatsLogin() });
    redis = await connectRedis('redis://127.0.0.1:6379', { redis: developerRedisLogin() });
    leases = new SensorLeases(redis, { keyPrefix: subjects.redis.prefix });
    nats.subscribe(subjects.resultsWildcard, {
      callback: (_error, msg) => {
        const decoded = decodeMeasurementResult(msg.data);
        if (decoded.ok) results.push(decoded.value);
      },
    });
    nats.subscribe(subjects.eventsWildcard, {
      callback: (_error, msg) => {
        const decoded = decodeSchedulerEventMessage(msg.data);
        if (!decoded.ok) return;
        const event = decoded.value.event as { type: string; runId?: string };
        events.push({ ...decoded.value, type: event.type, runId: event.runId });
      },
    });
    // Every scheduler message and event, for a timeout's message (a run that never measured).
    nats.subscribe(`${subjects.prefix}.>`, {
      callback: (_error, msg) => {
        const envelope = decodeSchedulerEnvelope(msg.data);
        const what = envelope.ok
          ? `run=${envelope.value.run} ${JSON.stringify(envelope.value.message)}`
          : utf8.decode(msg.data).slice(0, 300);
        trace.push(
          `${Date.now() - traceStart} ${msg.subject.slice(subjects.prefix.length + 1)} ${what}`,
        );
      },
    });
    await nats.flush();
    const portBase = 20_000 + Math.floor(Math.random() * 40_000);
    for (const node of Object.keys(NODES) as Node[]) {
      for (const module of MODULES)
        services.push(await startNodeService(cluster, node, module, portBase));
    }
  });

  afterAll(async () => {
    for (const service of services.reverse()) await service.close();
    const jsm = await jetstreamManager(nats);
    await jsm.streams.delete(subjects.resultsStream).catch(() => false);
    const keys = await redis.keys(`${subjects.redis.prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await nats.drain();
  });

  /** What the gateway does: store the order, then publish it. */
  async function order(control: SchedulerControl): Promise<void> {
    const payload = encodeSchedulerControl(control);
    await redis.set(subjects.redis.schedulerState, utf8.decode(payload));
    nats.publish(subjects.schedulerControl, payload);
  }

  async function startRun(runId: string, algorithm: AlgorithmName): Promise<number> {
    await order({ v: 1, action: 'start', runId, algorithm, params: {}, requestedAtMs: Date.now() });
    await eventually(
      () => events.filter((e) => e.type === 'scheduler-started' && e.runId === runId).length === 6,
      20_000,
      `every service to start ${runId}`,
    );
    return Date.now();
  }

  async function measure(monitor: Node, sensor: Node, waitMs: number): Promise<MeasureReply> {
    const reply = await nats.request(
      subjects.measureRequest(monitor),
      encodeMeasureRequest({ v: 1, sensor, tool: 'iperf3-tcp', waitMs }),
      { timeout: waitMs + 20_000 },
    );
    const decoded = decodeMeasureReply(reply.data);
    if (!decoded.ok) throw new Error(`undecodable reply: ${JSON.stringify(decoded.problems)}`);
    return decoded.value;
  }

  /** Takes a node's lease as another measurement would, retrying while a probe holds it. */
  async function hold(node: Node): Promise<Lease> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const lease = await leases.acquire(node, `test/manual/hold-${Date.now()}`, 20_000);
      if (lease) return lease;
      await sleep(20);
    }
    throw new Error(`could not take the lease on ${node}`);
  }

  /** For a timeout's message: how many events of each type, and the results' outcomes. */
  function seenSoFar(): unknown {
    const count = (keys: string[]) =>
      keys.reduce<Record<string, number>>(
        (acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }),
        {},
      );
    mkdirSync('.tmp', { recursive: true });
    const traceFile = `.tmp/${cluster}-bus-trace.log`;
    writeFileSync(traceFile, `${trace.join('\n')}\n`);
    return {
      events: count(events.map((e) => `${e.node}.${e.service}.${e.type}`)),
      results: count(results.map((r) => `${r.algorithm}:${r.ok ? 'ok' : r.error.code}`)),
      trace: traceFile,
    };
  }

  /** Conflicts among the measurements that held their leases (failed lease attempts did not). */
  function conflicts(): number {
    return checkConflicts(
      results
        .filter((r) => r.fencingToken > 0)
        .map((r) => ({
          monitor: r.monitor,
          sensor: r.sensor,
          startSeconds: r.startedAtMs / 1000,
          endSeconds: r.endedAtMs / 1000,
        })),
    ).conflicts;
  }

  it('manual - with no run, n1 measures n2 and the result says manual', async () => {
    const reply = await measure('n1', 'n2', 0);

    expect(reply).toMatchObject({
      ok: true,
      result: { monitor: 'n1', sensor: 'n2', algorithm: 'manual', ok: true },
    });
    if (!reply.ok) return;
    expect(reply.result.throughput?.bitsPerSecond).toBeGreaterThan(0);
    expect(reply.result.fencingToken).toBeGreaterThan(0);
  });

  it('manual - a result spans only the time both leases were held', async () => {
    const n1 = services.find((s) => s.node === 'n1' && s.module === 'monitor')!.runtime;
    const timed = new TimedLeases(n1.redis!, { keyPrefix: subjects.redis.prefix });
    const reservations = new ManualReservations(n1.redis!, n1.subjects.redis.prefix);
    const sut = new ProbeRunner(n1, timed, () => undefined, reservations);

    const manual = await new ManualMeasurements(n1, sut, 'timed', reservations).measure({
      v: 1,
      sensor: 'n2',
      tool: 'iperf3-tcp',
      waitMs: 0,
    });
    // Scheduled-shaped: the idle sensor refuses the server (no grant), after the leases.
    const scheduled = await sut.run({
      measurementId: 'sched-1@timed',
      sensor: 'n2',
      deadline: Date.now() + 5000,
      algorithm: 'rr',
      protocol: 'tcp',
      holder: scheduledLeaseHolder('n1', 'sched-1@timed'),
    });

    expect(manual.ok && manual.result.ok).toBe(true);
    expect(scheduled).toMatchObject({ ok: false, error: { code: 'not-granted' } });
    const both = [manual.ok ? manual.result : null, scheduled];
    for (const [index, result] of both.entries()) {
      // Two acquires (sensor, own) and two releases per measurement.
      expect(result!.startedAtMs).toBeGreaterThanOrEqual(timed.acquiredAt[index * 2 + 1]);
      expect(result!.endedAtMs).toBeLessThanOrEqual(timed.releasingAt[index * 2]);
    }
  });

  it('manual - answers busy at once when waitMs is 0 and the sensor is held', async () => {
    const lease = await hold('n2');
    try {
      const askedAt = Date.now();
      const reply = await measure('n1', 'n2', 0);

      expect(reply).toMatchObject({ ok: false, error: { code: 'busy' } });
      expect(Date.now() - askedAt).toBeLessThan(2000);
    } finally {
      await leases.release(lease);
    }
  });

  it('manual - waits while its own node is held, then measures once it is free', async () => {
    const lease = await hold('n1');
    const released = (async () => {
      await sleep(1000);
      await leases.release(lease);
      return Date.now();
    })();

    const reply = await measure('n1', 'n2', 10_000);

    expect(reply).toMatchObject({ ok: true, result: { ok: true, algorithm: 'manual' } });
    if (reply.ok) expect(reply.result.startedAtMs).toBeGreaterThanOrEqual(await released);
  });

  it('run - a start order starts every service, and its results carry its algorithm', async () => {
    const startedAt = await startRun('run-a', 'rr');

    await eventually(
      () => results.some((r) => r.ok && r.algorithm === 'rr' && r.startedAtMs >= startedAt),
      60_000,
      'an rr measurement',
      seenSoFar,
    );
    expect(events.filter((e) => e.type === 'scheduler-started').map((e) => e.runId)).toEqual(
      Array(6).fill('run-a'),
    );
  });

  it('run - manual measurements while the run measures never overlap anything', async () => {
    const manualBefore = results.filter((r) => r.algorithm === 'manual').length;
    // Scheduled probes keep both nodes nearly always leased; waiting manual requests
    // reserve them, so scheduled probes give way (without that: 30-50 s each on two nodes).
    const replies = await Promise.all([
      measure('n1', 'n2', 30_000),
      measure('n2', 'n1', 30_000),
      measure('n1', 'n2', 30_000),
    ]);

    for (const reply of replies) {
      expect(reply).toMatchObject({ ok: true, result: { algorithm: 'manual' } });
    }
    await eventually(
      () => results.filter((r) => r.algorithm === 'manual').length >= manualBefore + 3,
      5000,
      'the manual results on the stream',
    );
    expect(conflicts()).toBe(0);
  });

  it('run - a second start with another algorithm switches every service', async () => {
    const before = events.length;
    const startedAt = await startRun('run-b', 'crs');

    const switched = events.slice(before);
    expect(
      switched.filter((e) => e.type === 'scheduler-stopped' && e.runId === 'run-a'),
    ).toHaveLength(6);
    await eventually(
      () => results.some((r) => r.ok && r.algorithm === 'crs' && r.startedAtMs >= startedAt),
      60_000,
      'a crs measurement',
      seenSoFar,
    );
    expect(results.some((r) => r.algorithm === 'rr' && r.startedAtMs >= startedAt)).toBe(false);
  });

  it('run - a stop ends measuring on every node, and a manual one still works', async () => {
    await order({ v: 1, action: 'stop', runId: 'run-b', requestedAtMs: Date.now() });
    await eventually(
      () =>
        events.filter((e) => e.type === 'scheduler-stopped' && e.runId === 'run-b').length === 6,
      20_000,
      'every service to stop run-b',
    );
    const stoppedAt = Date.now();

    // Absence cannot be polled for: give a scheduled probe three probe times to show up.
    await sleep(3000);
    expect(results.filter((r) => r.algorithm !== 'manual' && r.startedAtMs > stoppedAt)).toEqual(
      [],
    );
    const reply = await measure('n2', 'n1', 0);
    expect(reply).toMatchObject({ ok: true, result: { ok: true, algorithm: 'manual' } });
    expect(conflicts()).toBe(0);
    expect(results.filter((r) => r.ok).length).toBeGreaterThan(4);
  });
});

describe('monitor run start with Redis unreachable', () => {
  it('monitor - starts the run without its history and says why', async () => {
    const cluster = `mh-${randomBytes(4).toString('hex')}`;
    const subjects = new Subjects(cluster);
    const nats = await connect({ servers: 'nats://127.0.0.1:4222', ...developerNatsLogin() });
    // Port 1 on loopback: nothing listens, and this client never queues or retries.
    const deadRedis = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const codes: string[] = [];
    nats.subscribe(subjects.errorEvents, {
      callback: (_error, msg) => {
        const decoded = decodeErrorEventMessage(msg.data);
        if (decoded.ok) codes.push(decoded.value.code);
      },
    });
    await nats.flush();
    const config = loadAgentConfig({
      MESHMON_NODE: 'n1',
      MESHMON_CLUSTER: cluster,
      MESHMON_ADDRESS: '127.0.0.2',
      MESHMON_ALGORITHM: 'none',
      MESHMON_OUTBOX_DIR: OUTBOX_ROOT,
    });
    const sut = new MonitorService({
      config,
      connection: nats,
      subjects,
      events: new EventPublisher(nats, subjects, 'n1', 'monitor'),
      redis: deadRedis,
      listening: Promise.resolve(),
      metrics: serviceMetrics({
        service: 'monitor',
        node: 'n1',
        connection: nats,
        redis: deadRedis,
      }),
    });
    try {
      await sut.control({
        v: 1,
        action: 'start',
        runId: 'r1',
        algorithm: 'crs',
        params: {},
        requestedAtMs: 1,
      });
      await nats.flush();

      expect(sut.host.current?.run.runId).toBe('r1');
      await eventually(
        () => codes.includes('redis-read-failed'),
        5000,
        'the error event',
        () => codes,
      );
      expect(codes).not.toContain('run-switch-failed');
    } finally {
      await sut.host.shutdown();
      deadRedis.disconnect();
      await nats.drain();
    }
  });
});

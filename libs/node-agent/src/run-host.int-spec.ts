/**
 * RunHost against the real NATS and Redis: the order stored in Redis at boot, and an order
 * given between that read and the moment the transport subscribes.
 */
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { encodeSchedulerControl, Subjects, type SchedulerControl } from '@meshmon/contracts';
import { connectRedis } from '@meshmon/leases';
import type { SensorMachine } from '@meshmon/scheduling';
import { loadAgentConfig } from './agent-config.js';
import type { AgentRuntime } from './agent-runtime.js';
import { EventPublisher, serviceMetrics } from '@meshmon/service-runtime';
import { MachineDriver } from './machine-driver.js';
import { createNodeMachines } from './node-machines.js';
import { RunHost } from './run-host.js';
import {
  developerNatsLogin,
  developerRedisLogin,
} from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(30_000);

const utf8 = new TextDecoder();

async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(RunHost.name, () => {
  let nats: NatsConnection;
  let redis: Redis;
  const clusters: Subjects[] = [];
  const hosts: RunHost<SensorMachine>[] = [];

  beforeAll(async () => {
    nats = await connect({ servers: 'nats://127.0.0.1:4222', ...developerNatsLogin() });
    redis = await connectRedis('redis://127.0.0.1:6379', { redis: developerRedisLogin() });
  });

  afterAll(async () => {
    for (const host of hosts) await host.shutdown();
    for (const subjects of clusters) await redis.del(subjects.redis.schedulerState);
    redis?.disconnect();
    await nats?.drain();
  });

  /** A sensor's RunHost on the real connections; `listen()` plays the transport subscribing. */
  function sensorHost(algorithm = 'none'): {
    sut: RunHost<SensorMachine>;
    subjects: Subjects;
    listen: () => void;
  } {
    const subjects = new Subjects(`rhi-${randomBytes(4).toString('hex')}`);
    clusters.push(subjects);
    const config = loadAgentConfig({
      MESHMON_NODE: 'n1',
      MESHMON_CLUSTER: subjects.cluster,
      MESHMON_ADDRESS: '127.0.0.2',
      MESHMON_ALGORITHM: algorithm,
    });
    let listen!: () => void;
    const runtime: AgentRuntime = {
      config,
      connection: nats,
      subjects,
      events: new EventPublisher(nats, subjects, config.node, 'sensor'),
      redis,
      listening: new Promise<void>((resolve) => (listen = resolve)),
      metrics: serviceMetrics({
        service: 'sensor',
        node: config.node,
        connection: nats,
        redis: redis,
      }),
    };
    const sut = new RunHost<SensorMachine>(runtime, 'sensor', {
      build: (run) => new MachineDriver(createNodeMachines(config, run).sensor, () => undefined),
    });
    hosts.push(sut);
    return { sut, subjects, listen };
  }

  /** What the gateway does: store the order, then publish it. */
  async function order(subjects: Subjects, control: SchedulerControl): Promise<void> {
    const payload = encodeSchedulerControl(control);
    await redis.set(subjects.redis.schedulerState, utf8.decode(payload));
    nats.publish(subjects.schedulerControl, payload);
  }

  it('boot - the order stored in Redis wins over MESHMON_ALGORITHM', async () => {
    const { sut, subjects } = sensorHost();
    await order(subjects, {
      v: 1,
      action: 'start',
      runId: 'stored',
      algorithm: 'crs',
      params: {},
      requestedAtMs: 1,
    });

    await sut.boot();

    expect(sut.current?.run).toMatchObject({ runId: 'stored', algorithm: 'crs' });
  });

  it('boot - an order given after the boot read but before the transport listened is not missed', async () => {
    const { sut, subjects, listen } = sensorHost();
    await sut.boot();
    expect(sut.current).toBeNull();

    // Nobody subscribes yet: the published copy is lost, only Redis keeps it.
    await order(subjects, {
      v: 1,
      action: 'start',
      runId: 'late',
      algorithm: 'tts',
      params: {},
      requestedAtMs: 2,
    });
    listen();

    await eventually(() => sut.current !== null, 5000, 'the host to start the stored run');
    expect(sut.current?.run).toMatchObject({ runId: 'late', algorithm: 'tts' });
  });

  it('boot - a stop given before the transport listened ends the boot run', async () => {
    const { sut, subjects, listen } = sensorHost('rr');
    await sut.boot();
    expect(sut.current?.run.runId).toBe('boot');

    await order(subjects, { v: 1, action: 'stop', runId: 'boot', requestedAtMs: 3 });
    listen();

    await eventually(() => sut.current === null, 5000, 'the host to stop');
  });
});

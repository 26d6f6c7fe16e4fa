import { afterEach, describe, expect, it } from '@jest/globals';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  decodeErrorEventMessage,
  decodeSchedulerEnvelope,
  decodeSchedulerEventMessage,
  encodeSchedulerEnvelope,
  Subjects,
  type SchedulerEnvelope,
  type SchedulerStart,
} from '@meshmon/contracts';
import type {
  AlgorithmName,
  ModuleKind,
  SchedulerMachine,
  SchedulerMessage,
  SchedulerParams,
} from '@meshmon/scheduling';
import { loadAgentConfig, type AgentConfig } from './agent-config.js';
import type { AgentRuntime } from './agent-runtime.js';
import { EventPublisher, serviceMetrics } from '@meshmon/service-runtime';
import { MachineDriver } from './machine-driver.js';
import { createNodeMachines } from './node-machines.js';
import { RunHost, type RunHostHooks } from './run-host.js';

/** What the host publishes, recorded: only `publish` is used, plus the closed flag. */
class RecordingConnection {
  readonly published: { subject: string; data: Uint8Array }[] = [];
  closed = false;

  publish(subject: string, data: Uint8Array): void {
    this.published.push({ subject, data });
  }

  isClosed(): boolean {
    return this.closed;
  }
}

interface Harness {
  readonly sut: RunHost<SchedulerMachine>;
  readonly log: string[];
  readonly connection: RecordingConnection;
  readonly subjects: Subjects;
  /** Lets the host believe the transport now listens. */
  readonly listen: () => void;
  /** `scheduler-started:<run>:<algorithm>`, `scheduler-stopped:<run>`, `error:<code>`. */
  readonly events: () => string[];
  /** The scheduler messages the host itself sent (module-ready). */
  readonly sent: () => { subject: string; envelope: SchedulerEnvelope }[];
}

const hosts: RunHost<SchedulerMachine>[] = [];

/**
 * A RunHost over real machines (the factory the services use) and real drivers; only the
 * NATS connection is a recorder. `hooks` add to the log-keeping defaults.
 */
function harness(
  module: ModuleKind,
  env: Record<string, string> = {},
  hooks: Partial<RunHostHooks<SchedulerMachine>> = {},
): Harness {
  const config: AgentConfig = loadAgentConfig({
    MESHMON_NODE: 'n1',
    MESHMON_ADDRESS: '127.0.0.2',
    MESHMON_MEMBERS: 'n1,n2,n3',
    MESHMON_ALGORITHM: 'none',
    ...env,
  });
  const subjects = new Subjects(`rh-${module}`);
  const connection = new RecordingConnection();
  const nats = connection as unknown as NatsConnection;
  let listen!: () => void;
  const runtime: AgentRuntime = {
    config,
    connection: nats,
    subjects,
    events: new EventPublisher(nats, subjects, config.node, module),
    redis: null,
    listening: new Promise<void>((resolve) => (listen = resolve)),
    metrics: serviceMetrics({ service: module, node: config.node, connection: nats, redis: null }),
  };
  const log: string[] = [];
  const sut = new RunHost<SchedulerMachine>(runtime, module, {
    build: (run, previous) => {
      log.push(`build ${run.runId} after ${previous?.run.runId ?? 'nothing'}`);
      if (hooks.build) return hooks.build(run, previous);
      const machine = createNodeMachines(config, run)[module];
      return new MachineDriver<SchedulerMachine>(machine, () => undefined);
    },
    beforeStart: async (session) => {
      log.push(`beforeStart ${session.run.runId}`);
      await hooks.beforeStart?.(session);
    },
    stopping: async (session) => {
      log.push(`stopping ${session.run.runId}`);
      await hooks.stopping?.(session);
    },
  });
  hosts.push(sut);
  const decodeEvents = (): string[] =>
    connection.published.flatMap(({ subject, data }) => {
      if (!subject.startsWith(`${subjects.prefix}.events.`)) return [];
      if (subject === subjects.errorEvents) {
        const error = decodeErrorEventMessage(data);
        return [error.ok ? `error:${error.value.code}` : `undecodable:${subject}`];
      }
      const decoded = decodeSchedulerEventMessage(data);
      if (!decoded.ok) return [`undecodable:${subject}`];
      const event = decoded.value.event as { type: string; runId?: string; algorithm?: string };
      return [[event.type, event.runId, event.algorithm].filter(Boolean).join(':')];
    });
  const sent = () =>
    connection.published.flatMap(({ subject, data }) => {
      const decoded = decodeSchedulerEnvelope(data);
      return decoded.ok && !subject.includes('.events.')
        ? [{ subject, envelope: decoded.value }]
        : [];
    });
  return { sut, log, connection, subjects, listen, events: decodeEvents, sent };
}

function start(
  runId: string,
  algorithm: AlgorithmName,
  params: SchedulerParams = {},
): SchedulerStart {
  return { v: 1, action: 'start', runId, algorithm, params, requestedAtMs: 1 };
}

const stop = (runId: string) => ({
  v: 1 as const,
  action: 'stop' as const,
  runId,
  requestedAtMs: 2,
});

function envelope(run: string | null, message: SchedulerMessage): SchedulerEnvelope {
  const decoded = decodeSchedulerEnvelope(
    encodeSchedulerEnvelope({ node: 'n1', module: 'controller' }, message, 0, run),
  );
  if (!decoded.ok) throw new Error('test envelope does not encode');
  return decoded.value;
}

/** A promise the test settles, to hold a switch half-way. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

afterEach(async () => {
  for (const host of hosts.splice(0)) await host.shutdown();
});

describe(RunHost.name, () => {
  it('boot - stays idle when nothing is stored and MESHMON_ALGORITHM is none', async () => {
    const { sut, events, log } = harness('sensor');

    await sut.boot();

    expect(sut.current).toBeNull();
    expect(log).toEqual([]);
    expect(events()).toEqual([]);
  });

  it('boot - starts the boot run of MESHMON_ALGORITHM and announces it', async () => {
    const { sut, events } = harness('monitor', { MESHMON_ALGORITHM: 'tts' });

    await sut.boot();

    expect(sut.current?.run).toMatchObject({ runId: 'boot', algorithm: 'tts' });
    expect(events()).toEqual(['scheduler-started:boot:tts']);
  });

  it("receive - hands the run's own messages to its machine and drops every other run's", async () => {
    const seen: string[] = [];
    const { sut } = harness('sensor');
    await sut.apply(start('r1', 'crs'));
    const machine = sut.current!.driver.machine;
    const original = machine.receive.bind(machine);
    machine.receive = (from, message, now) => {
      seen.push(message.type);
      return original(from, message, now);
    };
    const members: SchedulerMessage = { type: 'members', members: ['n1', 'n2'] };

    expect(sut.receive(envelope('r1', members))).toBe(true);
    expect(sut.receive(envelope('r0', members))).toBe(false);
    expect(sut.receive(envelope(null, members))).toBe(false);

    expect(seen).toEqual(['members']);
    expect(sut.droppedFromOtherRuns).toBe(2);
  });

  it('apply - a start of the run already in force changes nothing', async () => {
    const { sut, log, events } = harness('controller');

    await sut.apply(start('r1', 'crs'));
    const session = sut.current;
    await sut.apply(start('r1', 'cps'));

    expect(sut.current).toBe(session);
    expect(log.filter((line) => line.startsWith('build'))).toEqual(['build r1 after nothing']);
    expect(events()).toEqual(['scheduler-started:r1:crs']);
  });

  it('apply - a second start stops the first run before it builds the next', async () => {
    const { sut, log, events } = harness('controller');

    await sut.apply(start('r1', 'crs'));
    await sut.apply(start('r2', 'rr'));

    expect(log).toEqual([
      'build r1 after nothing',
      'beforeStart r1',
      'stopping r1',
      'build r2 after r1',
      'beforeStart r2',
    ]);
    expect(events()).toEqual([
      'scheduler-started:r1:crs',
      'scheduler-stopped:r1',
      'scheduler-started:r2:rr',
    ]);
    expect(sut.current?.run.algorithm).toBe('rr');
  });

  it('apply - orders given while a switch waits apply in the order given', async () => {
    const slow = gate();
    const { sut, events } = harness(
      'monitor',
      {},
      { beforeStart: (session) => (session.run.runId === 'r1' ? slow.opened : undefined) },
    );

    const applied = [
      sut.apply(start('r1', 'crs')),
      sut.apply(start('r2', 'rr')),
      sut.apply(stop('r2')),
      sut.apply(start('r3', 'tts')),
    ];
    await settle();
    // r1 still waits in beforeStart: nothing is in force, and nothing else has run.
    expect(sut.current).toBeNull();
    expect(events()).toEqual([]);
    slow.open();
    await Promise.all(applied);

    expect(sut.current?.run.runId).toBe('r3');
    expect(events()).toEqual([
      'scheduler-started:r1:crs',
      'scheduler-stopped:r1',
      'scheduler-started:r2:rr',
      'scheduler-stopped:r2',
      'scheduler-started:r3:tts',
    ]);
  });

  it('apply - a stop during a slow stopping hook leaves nothing running', async () => {
    const slow = gate();
    const { sut, events } = harness('monitor', {}, { stopping: () => slow.opened });
    await sut.apply(start('r1', 'crs'));

    const switching = sut.apply(start('r2', 'rr'));
    const stopped = sut.apply(stop('r2'));
    await settle();
    // The old run is gone at once: no message reaches it while its probe is cancelled.
    expect(sut.current).toBeNull();
    expect(sut.receive(envelope('r1', { type: 'members', members: ['n1'] }))).toBe(false);
    slow.open();
    await Promise.all([switching, stopped]);

    expect(sut.current).toBeNull();
    expect(events()).toEqual([
      'scheduler-started:r1:crs',
      'scheduler-stopped:r1',
      'scheduler-started:r2:rr',
      'scheduler-stopped:r2',
    ]);
  });

  it('apply - a stop with nothing running is harmless', async () => {
    const { sut, events } = harness('sensor');

    await sut.apply(stop('r9'));

    expect(sut.current).toBeNull();
    expect(events()).toEqual([]);
  });

  it('apply - parameters this node refuses leave the run in force and say why', async () => {
    const { sut, events, connection, subjects } = harness('sensor');
    await sut.apply(start('r1', 'crs'));

    await sut.apply(start('r2', 'crs', { 'crs.threshold': 1.5 }));

    expect(sut.current?.run.runId).toBe('r1');
    expect(events()).toEqual(['scheduler-started:r1:crs', 'error:invalid-run']);
    const error = connection.published.find((p) => p.subject === subjects.errorEvents)!;
    expect(new TextDecoder().decode(error.data)).toContain('crs.threshold');
  });

  it('apply - a failing switch is reported and the next order still applies', async () => {
    const { sut, events } = harness(
      'controller',
      {},
      {
        beforeStart: (session) => {
          if (session.run.runId === 'r1') throw new Error('history unreadable');
        },
      },
    );

    await expect(sut.apply(start('r1', 'crs'))).resolves.toBeUndefined();
    await sut.apply(start('r2', 'cps'));

    expect(sut.current?.run.runId).toBe('r2');
    expect(events()).toEqual(['error:run-switch-failed', 'scheduler-started:r2:cps']);
  });

  it('module-ready - a sensor asks its controller for a resync once listening, in its run', async () => {
    const { sut, sent, listen, subjects } = harness('sensor');

    await sut.apply(start('r1', 'tts'));
    await settle();
    expect(sent()).toEqual([]);
    listen();
    await settle();

    expect(sent()).toEqual([
      {
        subject: subjects.schedulerMessage('n1', 'controller', 'module-ready'),
        envelope: expect.objectContaining({
          run: 'r1',
          from: { node: 'n1', module: 'sensor' },
          message: { type: 'module-ready', module: 'sensor' },
        }),
      },
    ]);
  });

  it('module-ready - a run switched away before listening does not ask; the one in force does', async () => {
    const { sut, sent, listen } = harness('monitor');

    await sut.apply(start('r1', 'tts'));
    await sut.apply(start('r2', 'crs'));
    listen();
    await settle();

    expect(sent().map(({ envelope: e }) => [e.run, e.message])).toEqual([
      ['r2', { type: 'module-ready', module: 'monitor' }],
    ]);
  });

  it('module-ready - a controller never asks, and nobody asks on a closed connection', async () => {
    const controller = harness('controller');
    const sensor = harness('sensor');
    await controller.sut.apply(start('r1', 'tts'));
    await sensor.sut.apply(start('r1', 'tts'));
    sensor.connection.closed = true;

    controller.listen();
    sensor.listen();
    await settle();

    expect(controller.sent()).toEqual([]);
    expect(sensor.sent()).toEqual([]);
  });

  it('shutdown - runs the last call on the machine in force, then stops it without an event', async () => {
    const { sut, log, events } = harness('controller');
    await sut.apply(start('r1', 'crs'));
    const lastOn: string[] = [];

    await sut.shutdown((session) => lastOn.push(session.run.runId));

    expect(lastOn).toEqual(['r1']);
    expect(log.at(-1)).toBe('stopping r1');
    expect(sut.current).toBeNull();
    expect(events()).toEqual(['scheduler-started:r1:crs']);
  });
});

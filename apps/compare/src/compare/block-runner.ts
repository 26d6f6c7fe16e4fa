/**
 * One block: deploy the suite under one orchestrator, wait until every instance samples
 * itself, add the background traffic and the host sampler of the orchestrator's daemons,
 * discard the warm-up, measure the windows, wait until every instance's sample after the
 * last window is stored, tear down and clean the block's streams and keys away. Whatever
 * fails, or an interrupt (the signal aborts every wait), the tear-down runs; a tear-down
 * that fails stops the comparison, since leftovers would load the next group's windows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { DEFAULT_SINK_DURABLE, decodeResourceSample, Subjects } from '@meshmon/contracts';
import { samplePublisher } from '@meshmon/service-runtime';
import { BackgroundTraffic } from './background-traffic.js';
import type { PlannedBlock } from './block-plan.js';
import type { CompareStore } from './compare-store.js';
import {
  instancesOf,
  type BlockContext,
  type Deployment,
  type Orchestration,
} from './deploy/deployment.js';
import { HostSampler } from './host-sampler.js';
import type { Scenario } from './scenario.js';
import type { MeasuredWindow } from './window-values.js';

const READY_TIMEOUT_MS = 5 * 60_000;
const STORED_TIMEOUT_MS = 60_000;

export interface BlockRun {
  readonly plan: PlannedBlock;
  readonly context: BlockContext;
  readonly cluster: string;
  readonly run: string;
  /** Windows of this orchestrator measured before this block: the next index follows. */
  readonly windowsBefore: number;
  readonly totalWindows: number;
}

export interface BlockServices {
  readonly nats: NatsConnection;
  readonly redis: Redis;
  readonly store: CompareStore;
  readonly scenario: Scenario;
  readonly say: (line: string) => void;
  /** Warm-up and window seconds of the blocks after this one, for the progress lines. */
  readonly laterSeconds: number;
  /** Aborted on SIGINT or SIGTERM: every wait ends and the tear-down runs. */
  readonly signal: AbortSignal;
}

/** The last sample time of each instance, from the block's own subscription. */
class SampleWatch {
  readonly lastAt = new Map<string, number>();

  constructor(nats: NatsConnection, subjects: Subjects) {
    this.subscription = nats.subscribe(subjects.samplesWildcard, {
      callback: (_error, message) => {
        const decoded = decodeResourceSample(message.data);
        if (!decoded.ok || decoded.value.service === 'orchestrator') return;
        const key = `${decoded.value.service}/${decoded.value.node}`;
        this.lastAt.set(key, Math.max(this.lastAt.get(key) ?? 0, decoded.value.atMs));
      },
    });
  }

  private readonly subscription;

  /** How many instances have sent a sample at or after `atMs`. */
  countSince(atMs: number): number {
    return [...this.lastAt.values()].filter((at) => at >= atMs).length;
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

export async function runBlock(
  orchestration: Orchestration,
  block: BlockRun,
  services: BlockServices,
): Promise<MeasuredWindow[]> {
  const { nats, store, scenario, say, signal } = services;
  const subjects = new Subjects(block.cluster);
  const label = `${block.plan.orchestrator} block ${block.plan.block}/${scenario.blocks}`;
  const watch = new SampleWatch(nats, subjects);
  const expected = block.context.suite.reduce(
    (count, spec) => count + instancesOf(spec, block.context.nodes).length,
    0,
  );
  const traffic = new BackgroundTraffic(
    scenario.nodes,
    scenario.background.flows,
    scenario.background.bytesPerSecond,
  );
  const publisher = samplePublisher(
    nats,
    { error: (report) => say(`${label}: host sampler: ${report.code}: ${report.message}`) },
    subjects,
    { service: 'orchestrator', node: block.context.hostname },
  );
  // The daemons in every group, the process case too: Docker idles there (the other
  // groups need it), and that baseline is part of the picture.
  const sampler = new HostSampler(
    {
      cluster: block.cluster,
      run: block.run,
      orchestrator: orchestration.name,
      service: 'orchestrator',
      node: block.context.hostname,
    },
    scenario.sampleSeconds * 1000,
    publisher.publish,
  );
  let deployment: Deployment | null = null;
  try {
    say(`${label}: deploying ${expected} instances`);
    const deployedAt = Date.now();
    deployment = await orchestration.deploy(block.context);
    await until(
      () => watch.countSince(0) >= expected,
      READY_TIMEOUT_MS,
      signal,
      () => {
        throw new Error(
          `${label}: only ${watch.countSince(0)} of ${expected} instances sampled themselves within ${READY_TIMEOUT_MS / 60_000} min (logs: ${block.context.folder})`,
        );
      },
    );
    say(
      `${label}: all ${expected} instances up and sampling (${((Date.now() - deployedAt) / 1000).toFixed(1)} s)`,
    );
    await traffic.start();
    sampler.start();
    say(`${label}: warm-up ${scenario.warmupSeconds} s (discarded)`);
    await sleep(scenario.warmupSeconds * 1000, undefined, { signal });
    const windows: MeasuredWindow[] = [];
    for (let n = 1; n <= block.plan.windows; n += 1) {
      const index = block.windowsBefore + n;
      const startMs = Date.now();
      await sleep(scenario.windowSeconds * 1000, undefined, { signal });
      const window = {
        orchestrator: block.plan.orchestrator,
        block: block.plan.block,
        index,
        startMs,
        endMs: Date.now(),
      };
      await store.saveWindow(block.run, window);
      windows.push(window);
      say(
        `${label}: window ${n}/${block.plan.windows} (${index}/${block.totalWindows} of ${block.plan.orchestrator}), ${formatDuration((block.plan.windows - n) * scenario.windowSeconds + services.laterSeconds)} of measuring left`,
      );
    }
    await untilStored(nats, subjects, watch, expected, windows[windows.length - 1].endMs, signal);
    return windows;
  } finally {
    sampler.stop();
    await publisher.drain(2000);
    await traffic.stop();
    watch.stop();
    say(`${label}: tearing down`);
    try {
      await deployment?.stop();
    } finally {
      await cleanUp(nats, services.redis, subjects);
    }
  }
}

/** Polls `done` every 500 ms until it holds; calls `timedOut` (which throws) at the deadline. */
async function until(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal,
  timedOut: () => never,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) timedOut();
    await sleep(500, undefined, { signal });
  }
}

/**
 * Every window's samples are stored: each instance has sent a sample after the last
 * window ended (so its in-window ones are in the stream before it), then the sink's
 * acknowledged floor reaches the stream's last message as of that moment. A block that
 * cannot get there fails: a window silently short of samples would bias its group.
 */
async function untilStored(
  nats: NatsConnection,
  subjects: Subjects,
  watch: SampleWatch,
  expected: number,
  lastWindowEndMs: number,
  signal: AbortSignal,
): Promise<void> {
  const fail = (what: string): never => {
    throw new Error(`${what} within ${STORED_TIMEOUT_MS / 1000} s after the last window`);
  };
  await until(
    () => watch.countSince(lastWindowEndMs) >= expected,
    STORED_TIMEOUT_MS,
    signal,
    () => fail(`only ${watch.countSince(lastWindowEndMs)} of ${expected} instances sampled`),
  );
  const manager = await jetstreamManager(nats);
  const { last_seq: last } = (await manager.streams.info(subjects.samplesStream)).state;
  let floor = 0;
  const stored = async () => {
    const info = await manager.consumers
      .info(subjects.samplesStream, DEFAULT_SINK_DURABLE)
      .catch(() => null);
    floor = info?.ack_floor.stream_seq ?? 0;
    return floor >= last;
  };
  await until(stored, STORED_TIMEOUT_MS, signal, () =>
    fail(`the sink stored samples up to ${floor} of ${last}`),
  );
}

/** The block's streams and Redis keys: the next block starts from nothing. */
async function cleanUp(nats: NatsConnection, redis: Redis, subjects: Subjects): Promise<void> {
  const manager = await jetstreamManager(nats);
  for (const stream of [
    subjects.resultsStream,
    subjects.eventsStream,
    subjects.samplesStream,
    subjects.deadLetterStream,
  ]) {
    await manager.streams.delete(stream).catch(() => undefined);
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${subjects.redis.prefix}:*`,
      'COUNT',
      500,
    );
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

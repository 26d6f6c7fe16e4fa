/**
 * One block: deploy the suite under one orchestrator, wait until every instance samples
 * itself, add the background traffic and (for the container cases) the host sampler,
 * discard the warm-up, measure the windows, make sure the sink stored everything, tear
 * down and clean the block's streams and keys away.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { decodeResourceSample, encodeResourceSample, Subjects } from '@meshmon/contracts';
import { JetStreamOutbox } from '@meshmon/service-runtime';
import { BackgroundTraffic } from './background-traffic.js';
import type { PlannedBlock } from './block-plan.js';
import type { CompareStore } from './compare-store.js';
import { instancesOf, type BlockContext, type Orchestration } from './deploy/deployment.js';
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
}

export async function runBlock(
  orchestration: Orchestration,
  block: BlockRun,
  services: BlockServices,
): Promise<MeasuredWindow[]> {
  const { nats, store, scenario, say } = services;
  const subjects = new Subjects(block.cluster);
  const label = `${block.plan.orchestrator} block ${block.plan.block}/${scenario.blocks}`;
  const seen = new Set<string>();
  const watch = nats.subscribe(subjects.samplesWildcard, {
    callback: (_error, message) => {
      const decoded = decodeResourceSample(message.data);
      if (decoded.ok) seen.add(`${decoded.value.service}/${decoded.value.node}`);
    },
  });
  const expected = block.context.suite.reduce(
    (count, spec) => count + instancesOf(spec, block.context.nodes).length,
    0,
  );
  say(`${label}: deploying ${expected} instances`);
  const deployedAt = Date.now();
  const deployment = await orchestration.deploy(block.context);
  const traffic = new BackgroundTraffic(
    scenario.nodes,
    scenario.background.flows,
    scenario.background.bytesPerSecond,
  );
  let sampler: HostSampler | null = null;
  let outbox: JetStreamOutbox | null = null;
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (seen.size < expected) {
      if (Date.now() > deadline) {
        throw new Error(
          `${label}: only ${seen.size} of ${expected} instances sampled themselves within ${READY_TIMEOUT_MS / 60_000} min (logs: ${block.context.folder})`,
        );
      }
      await sleep(500);
    }
    say(
      `${label}: all ${expected} instances up and sampling (${((Date.now() - deployedAt) / 1000).toFixed(1)} s)`,
    );
    await traffic.start();
    if (orchestration.hasDaemons) {
      outbox = new JetStreamOutbox(
        nats,
        { error: (report) => say(`${label}: host sampler: ${report.code}: ${report.message}`) },
        { what: 'sample', wildcard: subjects.samplesWildcard, limit: 720 },
      );
      const publish = outbox;
      sampler = new HostSampler(
        {
          cluster: block.cluster,
          run: block.run,
          orchestrator: orchestration.name,
          service: 'orchestrator',
          node: block.context.hostname,
        },
        scenario.sampleSeconds * 1000,
        (sample) =>
          publish.add({
            subject: subjects.samples('orchestrator', block.context.hostname),
            msgId: sample.sampleId,
            encode: () => encodeResourceSample(sample),
          }),
      );
      sampler.start();
    }
    say(`${label}: warm-up ${scenario.warmupSeconds} s (discarded)`);
    await sleep(scenario.warmupSeconds * 1000);
    const windows: MeasuredWindow[] = [];
    for (let n = 1; n <= block.plan.windows; n += 1) {
      const index = block.windowsBefore + n;
      const startMs = Date.now();
      await sleep(scenario.windowSeconds * 1000);
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
    // One more sample interval, so every instance's sample after the last window is in.
    await sleep(scenario.sampleSeconds * 1000 + 500);
    await untilStored(nats, subjects, label, say);
    return windows;
  } finally {
    sampler?.stop();
    await outbox?.drain(2000);
    await traffic.stop();
    watch.unsubscribe();
    say(`${label}: tearing down`);
    await deployment.stop().catch((error: unknown) => say(`${label}: tear-down: ${String(error)}`));
    await cleanUp(nats, services.redis, subjects);
  }
}

/**
 * The block's sink has stored every sample published so far: its consumer's acknowledged
 * floor has reached the stream's last message as of now. (Not "nothing pending": the
 * services keep publishing, so something is nearly always pending.)
 */
async function untilStored(
  nats: NatsConnection,
  subjects: Subjects,
  label: string,
  say: (line: string) => void,
): Promise<void> {
  const manager = await jetstreamManager(nats);
  const { last_seq: last } = (await manager.streams.info(subjects.samplesStream)).state;
  const deadline = Date.now() + STORED_TIMEOUT_MS;
  for (;;) {
    const info = await manager.consumers
      .info(subjects.samplesStream, 'result-sink')
      .catch(() => null);
    if (info && info.ack_floor.stream_seq >= last) return;
    if (Date.now() > deadline) {
      say(`${label}: the sink had not stored every sample after ${STORED_TIMEOUT_MS / 1000} s`);
      return;
    }
    await sleep(500);
  }
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

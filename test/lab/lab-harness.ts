import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { checkConflicts } from '@meshmon/analysis';
import type { MeasurementResult } from '@meshmon/contracts';
import type { AlgorithmName, SchedulerParams } from '@meshmon/scheduling';
import { DEFAULT_LINK_RATE } from '../../apps/lab/src/cli/lab-args.js';
import { LabCluster } from '../../apps/lab/src/cluster/lab-cluster.js';
import { measurementRecords, ranAProbe } from '../../apps/lab/src/report/lab-report.js';
import type { ObservedEvent } from '../../apps/lab/src/cluster/lab-observer.js';
import type { LabSuiteOptions } from '../../apps/lab/src/cluster/lab-suite.js';
import { ensureServicesBuilt } from '../../apps/lab/src/infra/service-build.js';
import { LabNetwork } from '../../apps/lab/src/network/lab-network.js';

export const repo = fileURLToPath(new URL('../..', import.meta.url));

export interface HarnessOptions {
  readonly nodes: number;
  readonly algorithm?: AlgorithmName;
  readonly probeSeconds?: number;
  readonly slowNodes?: ReadonlyMap<string, string>;
  readonly busyNodes?: ReadonlySet<string>;
  readonly params?: SchedulerParams;
  /** The whole suite (sink, gateway, flow discovery); the nodes then start idle. */
  readonly suite?: LabSuiteOptions;
}

/** Starts a lab cluster for a test; the caller must `await cluster.stop()` in a finally. */
export async function startLab(options: HarnessOptions): Promise<LabCluster> {
  await LabNetwork.cleanupStale();
  await ensureServicesBuilt(repo);
  return LabCluster.start(
    {
      repo,
      runId: randomBytes(3).toString('hex').slice(0, 5),
      algorithm: options.suite ? null : (options.algorithm ?? 'cps'),
      probeSeconds: options.probeSeconds ?? 2,
      linkRate: DEFAULT_LINK_RATE,
      slowNodes: options.slowNodes ?? new Map(),
      busyNodes: options.busyNodes ?? new Set(),
      schedulerParams: options.params ?? {},
      seed: 1,
      suite: options.suite ?? null,
    },
    Array.from({ length: options.nodes }, (_, i) => `n${i + 1}`),
  );
}

/** Resolves with the first result (already seen or future) that satisfies `match`. */
export function nextResult(
  cluster: LabCluster,
  match: (result: MeasurementResult) => boolean,
  timeoutMs: number,
  what: string,
): Promise<MeasurementResult> {
  return waitFor(
    (found) => {
      const seen = cluster.observer.results.find(match);
      if (seen) found(seen);
      cluster.observer.onResult((result) => {
        if (match(result)) found(result);
      });
    },
    timeoutMs,
    what,
  );
}

export function nextEvent(
  cluster: LabCluster,
  match: (event: ObservedEvent) => boolean,
  timeoutMs: number,
  what: string,
): Promise<ObservedEvent> {
  return waitFor(
    (found) => cluster.observer.onEvent((event) => match(event) && found(event)),
    timeoutMs,
    what,
  );
}

/** Polls until `check` is true; fails the test with `what` after the timeout. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function coveredPairs(cluster: LabCluster, nodes: readonly string[]): number {
  const inScope = new Set(nodes);
  return new Set(
    cluster.observer.results
      .filter((r) => r.ok && inScope.has(r.monitor) && inScope.has(r.sensor))
      .map((r) => `${r.monitor}>${r.sensor}`),
  ).size;
}

export const nodesOf = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `n${i + 1}`);

/**
 * Node overlaps among the probes run so far, by the independent checker, one line each
 * (so a failing test shows which measurements overlapped, and by how much).
 */
export function conflictsIn(cluster: LabCluster): string[] {
  const report = checkConflicts(measurementRecords(cluster.observer.results.filter(ranAProbe), 0));
  return report.listed.map(
    ({ node, first, second, overlapSeconds }) =>
      `${node}: ${first.monitor}->${first.sensor} and ${second.monitor}->${second.sensor} overlap ${overlapSeconds.toFixed(3)} s`,
  );
}

/** Runs a scenario on its own lab, and always stops the lab. */
export async function withLab(
  options: HarnessOptions,
  scenario: (cluster: LabCluster) => Promise<void>,
): Promise<void> {
  const cluster = await startLab(options);
  try {
    await scenario(cluster);
  } finally {
    await cluster.stop();
  }
}

/** A client of the lab's Redis, logged in as the suite's user (the default user is off). */
export function labRedis(cluster: LabCluster): Redis {
  return new Redis(cluster.redisUrl, { maxRetriesPerRequest: 1, ...cluster.redisLogin });
}

function waitFor<T>(
  register: (found: (value: T) => void) => void,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    register((value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    });
  });
}

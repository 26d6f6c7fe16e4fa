import { appendFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { MeasurementResult } from '@meshmon/contracts';
import { LabCluster } from '../cluster/lab-cluster.js';
import type { LabGateway } from '../cluster/lab-suite.js';
import { ensureServicesBuilt } from '../infra/service-build.js';
import { LabNetwork } from '../network/lab-network.js';
import {
  buildLabReport,
  type LabReport,
  type SchedulerEventSeen,
  type ScopedPair,
} from '../report/lab-report.js';
import { predictWithSimulator, type SimulatorPrediction } from '../report/simulator-prediction.js';
import type { LabArgs } from './lab-args.js';

export interface LabOutcome {
  readonly report: LabReport;
  readonly prediction: SimulatorPrediction | null;
}

export interface LabIo {
  readonly repo: string;
  /** Live progress; the CLI overwrites one terminal line with it. */
  readonly progress: (line: string) => void;
  /** Registers the teardown to run on Ctrl-C or a crash as well as at the end. */
  readonly onCleanup: (cleanup: () => Promise<void>) => void;
  /** Called once every service is up, e.g. for the benchmark to sample the processes. */
  readonly onStarted?: (cluster: LabCluster) => void;
  /** A line that stays (not overwritten like progress), e.g. the dashboard's address. */
  readonly announce?: (line: string) => void;
}

const PROGRESS_EVERY_MS = 1000;

/** Runs one lab from flags to report: the CLI's whole job, and what the benchmark calls. */
export async function runLab(args: LabArgs, io: LabIo): Promise<LabOutcome> {
  await LabNetwork.cleanupStale();
  if ((await ensureServicesBuilt(io.repo)) === 'built') io.progress('services compiled');
  const runId = randomBytes(3).toString('hex').slice(0, 5);
  const names = Array.from({ length: args.nodes }, (_, i) => `n${i + 1}`);
  io.progress(`starting ${args.nodes} nodes (run ${runId})`);
  const cluster = await LabCluster.start(
    {
      repo: io.repo,
      runId,
      // With the suite the nodes start idle and the run is started through the gateway,
      // as an operator would; --agents-only starts it by environment, as in issue 3.
      algorithm: args.suite ? null : args.algorithm,
      probeSeconds: args.probeSeconds,
      linkRate: args.linkRate,
      slowNodes: args.slowNodes,
      busyNodes: args.busyNodes,
      schedulerParams: args.params,
      seed: args.seed,
      suite: args.suite,
    },
    names,
  );
  let stopped = false;
  let endedAtMs: number;
  let intents: ScopedPair[] | undefined;
  let ownRunId: string | undefined;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await cluster.stop();
  };
  io.onCleanup(stop);
  try {
    if (cluster.gateway) {
      const { url } = cluster.gateway;
      io.announce?.(`dashboard and API: ${url}/ (OpenAPI at ${url}/docs)`);
      io.announce?.(
        `the API's token and the run's other credentials are in ${cluster.credentialsFolder}/ (the dashboard asks for the token once per tab)`,
      );
      const runId = await startThroughGateway(cluster.gateway, args);
      ownRunId = runId;
      io.announce?.(`started ${args.algorithm} through the gateway, run ${runId}`);
      cluster.startedAtMs = Date.now();
    }
    io.onStarted?.(cluster);
    if (args.eventsOut) {
      const file = args.eventsOut;
      writeFileSync(file, '');
      cluster.observer.onResult((result) =>
        appendFileSync(file, `${eventLine(result, cluster.startedAtMs)}\n`),
      );
    }
    endedAtMs = await runFor(cluster, args, io);
    if (cluster.gateway && args.suite?.discovery)
      intents = (await intentsOf(cluster.gateway)) ?? undefined;
  } finally {
    await stop();
  }
  const report = buildLabReport({
    algorithm: args.algorithm,
    probeSeconds: args.probeSeconds,
    startedAtMs: cluster.startedAtMs,
    durationSeconds: (endedAtMs - cluster.startedAtMs) / 1000,
    nodes: [...cluster.nodes.entries()].map(([name, node]) => ({
      name,
      joinedAtSeconds: Math.max(0, (node.joinedAtMs - cluster.startedAtMs) / 1000),
      present: node.present,
    })),
    results: cluster.observer.results,
    eventCounts: cluster.observer.eventCounts,
    ...(intents ? { intents } : {}),
    ...(ownRunId ? { schedulerRun: { runId: ownRunId, events: schedulerEvents(cluster) } } : {}),
  });
  // The simulator schedules every pair; with discovery only the intents are in scope.
  const prediction =
    report.meanEventSeconds === null || intents
      ? null
      : predictWithSimulator({
          algorithm: args.algorithm,
          nodes: args.nodes,
          probeSeconds: args.probeSeconds,
          eventSeconds: report.meanEventSeconds,
          params: args.params,
        });
  return { report, prediction };
}

/** The scheduler starts and stops the services reported during the run. */
function schedulerEvents(cluster: LabCluster): SchedulerEventSeen[] {
  return cluster.observer.eventLog
    .filter((event) => event.type === 'scheduler-started' || event.type === 'scheduler-stopped')
    .map((event) => ({
      type: event.type,
      atMs: event.atMs,
      runId: String(event.fields.runId ?? ''),
      ...(typeof event.fields.algorithm === 'string' ? { algorithm: event.fields.algorithm } : {}),
    }));
}

/**
 * POST /api/v1/scheduler/start, as the README shows it: the algorithm and each `--param`
 * as a number under its own name.
 */
export async function startThroughGateway(
  gateway: LabGateway,
  args: Pick<LabArgs, 'algorithm' | 'params'>,
): Promise<string> {
  const body = { algorithm: args.algorithm, ...args.params };
  const response = await fetch(`${gateway.url}/api/v1/scheduler/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 202) {
    throw new Error(`the gateway refused to start ${args.algorithm}: ${response.status} ${text}`);
  }
  return (JSON.parse(text) as { runId: string }).runId;
}

/** Runs until the duration is over (or full coverage, if asked); returns when it stopped. */
async function runFor(cluster: LabCluster, args: LabArgs, io: LabIo): Promise<number> {
  const joins = [...args.joins].sort((a, b) => a.atSeconds - b.atSeconds);
  const endAt = cluster.startedAtMs + args.durationSeconds * 1000;
  const maxRounds = Math.ceil((args.durationSeconds * 1000) / PROGRESS_EVERY_MS) + 10;
  const discovery = cluster.gateway !== null && args.suite?.discovery === true;
  let scope: Set<string> | null = null;
  for (let round = 0; round < maxRounds && Date.now() < endAt; round += 1) {
    // Discovery mode: coverage is over the intents, which the gateway lists.
    if (discovery && round % 5 === 0) {
      const listed = await intentsOf(cluster.gateway!);
      if (listed) scope = new Set(listed.map((pair) => `${pair.monitor}>${pair.sensor}`));
    }
    const elapsed = (Date.now() - cluster.startedAtMs) / 1000;
    while (joins.length > 0 && joins[0].atSeconds <= elapsed) {
      const join = joins.shift()!;
      io.progress(`${join.node} joins`);
      await cluster.addNode(join.node);
    }
    const { covered, pairs } = coverageSoFar(cluster, discovery ? (scope ?? new Set()) : null);
    io.progress(progressLine(cluster, elapsed, covered, pairs));
    if (args.untilCovered && pairs > 0 && covered === pairs && joins.length === 0) break;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(PROGRESS_EVERY_MS, Math.max(0, endAt - Date.now()))),
    );
  }
  return Date.now();
}

/** Pairs measured so far, over every pair of present nodes or over `scope` when given. */
function coverageSoFar(
  cluster: LabCluster,
  scope: ReadonlySet<string> | null,
): { covered: number; pairs: number } {
  const present = [...cluster.nodes.entries()]
    .filter(([, node]) => node.present)
    .map(([name]) => name);
  const presentSet = new Set(present);
  const inScope = (monitor: string, sensor: string) =>
    presentSet.has(monitor) &&
    presentSet.has(sensor) &&
    (!scope || scope.has(`${monitor}>${sensor}`));
  const measured = new Set(
    cluster.observer.results
      .filter((result) => result.ok && inScope(result.monitor, result.sensor))
      .map((result) => `${result.monitor}>${result.sensor}`),
  );
  const pairs = scope
    ? [...scope].filter((pair) => inScope(...(pair.split('>') as [string, string]))).length
    : present.length * (present.length - 1);
  return { covered: measured.size, pairs };
}

/** The intents the gateway lists (hand-made and discovered), or null if it cannot say. */
async function intentsOf(gateway: LabGateway): Promise<ScopedPair[] | null> {
  try {
    const response = await fetch(`${gateway.url}/api/v1/intents`, {
      headers: { authorization: `Bearer ${gateway.token}` },
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { intents: ScopedPair[] };
    return body.intents.map(({ monitor, sensor, sinceMs }) => ({ monitor, sensor, sinceMs }));
  } catch {
    // A gateway that does not answer now may next time: the progress line just waits.
    return null;
  }
}

function progressLine(
  cluster: LabCluster,
  elapsed: number,
  covered: number,
  pairs: number,
): string {
  const ok = cluster.observer.results.filter((result) => result.ok).length;
  const now = [...cluster.observer.inFlight]
    .map(([monitor, sensor]) => `${monitor}->${sensor}`)
    .join(' ');
  return `[${elapsed.toFixed(0).padStart(4)} s] coverage ${covered}/${pairs} pairs, ${ok} measurements, now: ${now || '-'}`;
}

/** One JSON line per measurement, as the simulator's --events-out, in wall-clock seconds. */
function eventLine(result: MeasurementResult, startedAtMs: number): string {
  return JSON.stringify({
    monitor: result.monitor,
    sensor: result.sensor,
    startSeconds: (result.startedAtMs - startedAtMs) / 1000,
    endSeconds: (result.endedAtMs - startedAtMs) / 1000,
    ok: result.ok,
    tool: result.tool,
    fencingToken: result.fencingToken,
    bitsPerSecond: result.throughput?.bitsPerSecond ?? null,
    rttMs: result.rtt?.avgMs ?? null,
    clientCpuPercent: result.cpu?.clientPercent ?? null,
    serverCpuPercent: result.cpu?.serverPercent ?? null,
    startedAtMs: result.startedAtMs,
    endedAtMs: result.endedAtMs,
  });
}

import { appendFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { MeasurementResult } from '@meshmon/contracts';
import { LabCluster } from '../cluster/lab-cluster.js';
import { ensureServicesBuilt } from '../infra/service-build.js';
import { LabNetwork } from '../network/lab-network.js';
import { buildLabReport, type LabReport } from '../report/lab-report.js';
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
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await cluster.stop();
  };
  io.onCleanup(stop);
  try {
    if (cluster.gatewayUrl) {
      io.announce?.(
        `dashboard and API: ${cluster.gatewayUrl}/ (OpenAPI at ${cluster.gatewayUrl}/docs)`,
      );
      const runId = await startThroughGateway(cluster.gatewayUrl, args);
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
  });
  const prediction =
    report.meanEventSeconds === null
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

/**
 * POST /api/v1/scheduler/start, as the README shows it: the algorithm and each `--param`
 * as a number under its own name.
 */
async function startThroughGateway(gatewayUrl: string, args: LabArgs): Promise<string> {
  const body: Record<string, string | number> = { algorithm: args.algorithm };
  for (const param of args.params) {
    const eq = param.indexOf('=');
    body[param.slice(0, eq).trim()] = Number(param.slice(eq + 1));
  }
  const response = await fetch(`${gatewayUrl}/api/v1/scheduler/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
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
  for (let round = 0; round < maxRounds && Date.now() < endAt; round += 1) {
    const elapsed = (Date.now() - cluster.startedAtMs) / 1000;
    while (joins.length > 0 && joins[0].atSeconds <= elapsed) {
      const join = joins.shift()!;
      io.progress(`${join.node} joins`);
      await cluster.addNode(join.node);
    }
    const { covered, pairs } = coverageSoFar(cluster);
    io.progress(progressLine(cluster, elapsed, covered, pairs));
    if (args.untilCovered && covered === pairs && joins.length === 0) break;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(PROGRESS_EVERY_MS, Math.max(0, endAt - Date.now()))),
    );
  }
  return Date.now();
}

function coverageSoFar(cluster: LabCluster): { covered: number; pairs: number } {
  const present = [...cluster.nodes.entries()]
    .filter(([, node]) => node.present)
    .map(([name]) => name);
  const presentSet = new Set(present);
  const measured = new Set(
    cluster.observer.results
      .filter(
        (result) => result.ok && presentSet.has(result.monitor) && presentSet.has(result.sensor),
      )
      .map((result) => `${result.monitor}>${result.sensor}`),
  );
  return { covered: measured.size, pairs: present.length * (present.length - 1) };
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

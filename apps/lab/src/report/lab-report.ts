import {
  checkConflicts,
  computeCoverage,
  coverageFloorSeconds,
  findOutliers,
  meanMatrix,
  pairsSinceJoined,
  type ConflictReport,
  type MeasurementRecord,
  type PairInScope,
  type Outlier,
  type PairMatrix,
} from '@meshmon/analysis';
import type { MeasurementResult } from '@meshmon/contracts';

export interface LabNodeSpan {
  readonly name: string;
  /** Seconds after the start when the node joined (0 for nodes there from the start). */
  readonly joinedAtSeconds: number;
  /** Whether the node is still part of the cluster at the end. */
  readonly present: boolean;
}

export interface LabRunFacts {
  readonly algorithm: string;
  readonly probeSeconds: number;
  readonly startedAtMs: number;
  readonly durationSeconds: number;
  readonly nodes: readonly LabNodeSpan[];
  readonly results: readonly MeasurementResult[];
  readonly eventCounts: Readonly<Record<string, number>>;
  /**
   * Discovery mode: the pairs in scope (the intents at the end, as the gateway lists them,
   * each from when it became one). Absent: every pair is in scope.
   */
  readonly intents?: readonly ScopedPair[];
  /**
   * The scheduler run the lab itself started (through the gateway), and the scheduler
   * events of the run: any other start, and any stop, came from outside.
   */
  readonly schedulerRun?: {
    readonly runId: string;
    readonly events: readonly SchedulerEventSeen[];
  };
}

/** A scheduler-started or scheduler-stopped event as the lab saw it on the bus. */
export interface SchedulerEventSeen {
  readonly type: string;
  readonly atMs: number;
  readonly runId: string;
  readonly algorithm?: string;
}

/** The scheduler stopped, or switched to a run the lab did not start, while the lab measured. */
export interface OutsideSchedulerChange {
  readonly change: 'stopped' | 'started';
  readonly runId: string;
  readonly algorithm: string | null;
  /** Seconds after the lab's start, when the first service reported it. */
  readonly atSeconds: number;
}

export interface ScopedPair {
  readonly monitor: string;
  readonly sensor: string;
  readonly sinceMs: number;
}

export interface LabReport {
  readonly algorithm: string;
  readonly nodes: number;
  readonly pairs: number;
  readonly measurements: number;
  readonly failedMeasurements: number;
  readonly durationSeconds: number;
  readonly probeSeconds: number;
  readonly fullCoverageSeconds: number | null;
  readonly coveredFraction: number;
  /** Lower bound on full coverage: N(N-1) probes, floor(N/2) at a time, no overhead at all. */
  readonly floorSeconds: number;
  readonly meanEventSeconds: number | null;
  /** Event time (lease taken to lease released) minus probe time, over completed measurements. */
  readonly meanEventOverheadSeconds: number | null;
  readonly meanWaitSeconds: number;
  readonly conflicts: number;
  readonly conflictReport: ConflictReport;
  readonly throughputBps: PairMatrix;
  readonly rttMs: PairMatrix;
  readonly outliers: readonly string[];
  readonly outlierDetails: readonly Outlier[];
  readonly eventCounts: Readonly<Record<string, number>>;
  /** Stops and other runs during the lab's own: its figures then measure something else. */
  readonly outsideSchedulerChanges: readonly OutsideSchedulerChange[];
}

/**
 * The first report of each stop, and of each start of a run other than the lab's own,
 * within the run's time (every service of every node reports each; one line is enough).
 */
export function outsideSchedulerChanges(facts: LabRunFacts): OutsideSchedulerChange[] {
  if (!facts.schedulerRun) return [];
  const endMs = facts.startedAtMs + facts.durationSeconds * 1000;
  const seen = new Map<string, OutsideSchedulerChange>();
  const events = [...facts.schedulerRun.events].sort((a, b) => a.atMs - b.atMs);
  for (const event of events) {
    if (event.atMs < facts.startedAtMs || event.atMs > endMs) continue;
    const change =
      event.type === 'scheduler-stopped'
        ? 'stopped'
        : event.type === 'scheduler-started' && event.runId !== facts.schedulerRun.runId
          ? 'started'
          : null;
    if (change === null || seen.has(`${change} ${event.runId}`)) continue;
    seen.set(`${change} ${event.runId}`, {
      change,
      runId: event.runId,
      algorithm: event.algorithm ?? null,
      atSeconds: (event.atMs - facts.startedAtMs) / 1000,
    });
  }
  return [...seen.values()];
}

/**
 * Every pair of present nodes from when both were there; in discovery mode only the
 * intents, each from when it became one (and both its nodes were there).
 */
function pairsInScope(facts: LabRunFacts): PairInScope[] {
  const all = pairsSinceJoined(facts.nodes.filter((node) => node.present));
  if (!facts.intents) return all;
  const since = new Map(
    facts.intents.map((pair) => [
      `${pair.monitor}>${pair.sensor}`,
      (pair.sinceMs - facts.startedAtMs) / 1000,
    ]),
  );
  return all.flatMap((pair) => {
    const intentSince = since.get(`${pair.monitor}>${pair.sensor}`);
    return intentSince === undefined
      ? []
      : [{ ...pair, sinceSeconds: Math.max(pair.sinceSeconds, intentSince, 0) }];
  });
}

/** Results as the analysis library reads them, in seconds from `startedAtMs`. */
export function measurementRecords(
  results: readonly MeasurementResult[],
  startedAtMs: number,
): MeasurementRecord[] {
  return results.map((result) => ({
    monitor: result.monitor,
    sensor: result.sensor,
    startSeconds: (result.startedAtMs - startedAtMs) / 1000,
    endSeconds: (result.endedAtMs - startedAtMs) / 1000,
    tool: 'iperf3',
  }));
}

/**
 * Whether a result's probe could have loaded its nodes: it got the leases (a fencing token).
 * A measurement refused its lease (the sensor or the monitor was in another one) ran
 * nothing on either node; it is published as a failed result, but it is the refusal that
 * keeps the invariant, not a breach of it.
 */
export const ranAProbe = (result: MeasurementResult): boolean => result.fencingToken >= 1;

/**
 * The lab's report, from nothing but the results that came through JetStream and the
 * list of nodes: the scheduler metrics, the independent conflict check over the real
 * start and end times, and the throughput and RTT matrices.
 */
export function buildLabReport(facts: LabRunFacts): LabReport {
  const records = measurementRecords(facts.results, facts.startedAtMs);
  const completed = facts.results.filter((result) => result.ok);
  const coverage = computeCoverage(
    records.filter((_, index) => facts.results[index].ok),
    pairsInScope(facts),
    facts.durationSeconds,
  );
  const eventSeconds = completed.map((result) => (result.endedAtMs - result.startedAtMs) / 1000);
  const meanEventSeconds =
    eventSeconds.length === 0
      ? null
      : eventSeconds.reduce((a, b) => a + b, 0) / eventSeconds.length;
  const throughputBps = meanMatrix(
    completed
      .filter((result) => result.throughput !== null)
      .map((result) => ({
        monitor: result.monitor,
        sensor: result.sensor,
        value: result.throughput!.bitsPerSecond,
      })),
  );
  const rttMs = meanMatrix(
    completed
      .filter((result) => result.rtt !== null)
      .map((result) => ({
        monitor: result.monitor,
        sensor: result.sensor,
        value: result.rtt!.avgMs,
      })),
  );
  const present = facts.nodes.filter((node) => node.present).map((node) => node.name);
  const outlierDetails = findOutliers(present, throughputBps, rttMs);
  const conflictReport = checkConflicts(
    measurementRecords(facts.results.filter(ranAProbe), facts.startedAtMs),
  );
  return {
    algorithm: facts.algorithm,
    nodes: present.length,
    pairs: coverage.pairs,
    measurements: completed.length,
    failedMeasurements: facts.results.length - completed.length,
    durationSeconds: facts.durationSeconds,
    probeSeconds: facts.probeSeconds,
    fullCoverageSeconds: coverage.fullCoverageSeconds,
    coveredFraction: coverage.coveredFraction,
    floorSeconds: coverageFloorSeconds(present.length, facts.probeSeconds),
    meanEventSeconds,
    meanEventOverheadSeconds:
      meanEventSeconds === null ? null : meanEventSeconds - facts.probeSeconds,
    meanWaitSeconds: coverage.meanWaitSeconds,
    conflicts: conflictReport.conflicts,
    conflictReport,
    throughputBps,
    rttMs,
    outliers: [...new Set(outlierDetails.map((outlier) => outlier.node))],
    outlierDetails,
    eventCounts: facts.eventCounts,
    outsideSchedulerChanges: outsideSchedulerChanges(facts),
  };
}

import {
  checkConflicts,
  computeCoverage,
  coverageCycles,
  type CoverageCycles,
  pairsSinceJoined,
  type MeasurementRecord,
  type PairInScope,
} from '@meshmon/analysis';

/** Pairs in scope when the cluster runs on intents: `<monitor>\0<sensor>` -> since (ms). */
export interface CoverageScope {
  readonly pairs: ReadonlyMap<string, { monitor: string; sensor: string; sinceMs: number }>;
}

export interface CoveragePoint {
  readonly atMs: number;
  readonly coverage: number;
}

export interface CoverageReport {
  readonly runId: string | null;
  readonly algorithm: string | null;
  readonly startedAtMs: number | null;
  readonly nodes: number;
  readonly pairsInScope: number;
  readonly pairsMeasured: number;
  readonly coverage: number;
  readonly timeToFullCoverageMs: number | null;
  readonly meanWaitMs: number | null;
  readonly fairness: number | null;
  readonly history: readonly CoveragePoint[];
}

interface TimedRecord {
  readonly monitor: string;
  readonly sensor: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The thesis's metrics, live: measurements since the latest scheduler run started (or,
 * before any run, since the gateway saw its first node), judged by `computeCoverage`
 * from @meshmon/analysis, the same code the simulator and the lab report with. Records
 * and history are bounded; the history keeps its whole span by halving its resolution
 * when full.
 */
export class CoverageTracker {
  runId: string | null = null;
  algorithm: string | null = null;
  private startMs: number | null = null;
  private records: TimedRecord[] = [];
  private points: CoveragePoint[] = [];

  constructor(
    private readonly maxRecords: number,
    private readonly maxHistory: number,
  ) {}

  get startedAtMs(): number | null {
    return this.startMs;
  }

  /** Every service reports the same run: only a new runId restarts the clock. */
  runStarted(runId: string, algorithm: string, atMs: number): void {
    if (runId === this.runId) {
      // Replayed or late reports of the same run: the earliest report marks its start.
      this.startMs = Math.min(this.startMs ?? atMs, atMs);
      return;
    }
    this.runId = runId;
    this.algorithm = algorithm;
    this.startMs = atMs;
    this.points = [];
  }

  nodeSeen(atMs: number): void {
    if (this.runId !== null) return;
    this.startMs = Math.min(this.startMs ?? atMs, atMs);
  }

  measured(monitor: string, sensor: string, startMs: number, endMs: number): void {
    this.records.push({ monitor, sensor, startMs, endMs });
    // Amortised trimming: drop the oldest tenth at once rather than shifting every time.
    if (this.records.length > this.maxRecords) {
      this.records = this.records.slice(Math.ceil(this.maxRecords / 10));
    }
  }

  /**
   * The current run cut into coverage cycles (each ends once every pair in scope was
   * measured since it began): how the last cycle went and how far the current one is.
   */
  cycles(
    nodes: readonly { node: string; firstSeenMs: number }[],
    scope: CoverageScope | null,
  ): CoverageCycles | null {
    const start = this.startMs;
    if (start === null) return null;
    const { pairs, records } = this.runRecords(start, nodes, scope);
    return coverageCycles(records, pairs);
  }

  /** The pairs in scope and the measurements since `start`, in seconds from it. */
  private runRecords(
    start: number,
    nodes: readonly { node: string; firstSeenMs: number }[],
    scope: CoverageScope | null,
  ): { pairs: PairInScope[]; records: MeasurementRecord[] } {
    const seconds = (ms: number): number => Math.max(0, (ms - start) / 1000);
    const pairs = scopeOf(nodes, scope, seconds);
    const records: MeasurementRecord[] = this.records
      .filter((record) => record.endMs >= start)
      .map((record) => ({
        monitor: record.monitor,
        sensor: record.sensor,
        startSeconds: seconds(record.startMs),
        endSeconds: seconds(record.endMs),
      }));
    return { pairs, records };
  }

  /**
   * Overlapping measurements on a node among the good results kept (each held its leases),
   * by the independent checker of @meshmon/analysis: 0 while the invariant holds.
   */
  conflicts(): number {
    const records: MeasurementRecord[] = this.records.map((record) => ({
      monitor: record.monitor,
      sensor: record.sensor,
      startSeconds: record.startMs / 1000,
      endSeconds: record.endMs / 1000,
    }));
    return checkConflicts(records, 0).conflicts;
  }

  /** Adds a history point; at capacity every other point goes, so the span is kept. */
  sample(atMs: number, coverage: number): void {
    const last = this.points.at(-1);
    if (last && atMs <= last.atMs) return;
    this.points.push({ atMs, coverage });
    if (this.points.length > this.maxHistory) {
      this.points = this.points.filter((_, index) => index % 2 === 1);
    }
  }

  compute(
    nodes: readonly { node: string; firstSeenMs: number }[],
    scope: CoverageScope | null,
    nowMs: number,
  ): CoverageReport {
    const start = this.startMs;
    const base = {
      runId: this.runId,
      algorithm: this.algorithm,
      startedAtMs: start,
      nodes: nodes.length,
      history: [...this.points],
    };
    if (start === null) {
      return { ...base, pairsInScope: 0, pairsMeasured: 0, coverage: 0, ...NO_FIGURES };
    }
    const seconds = (ms: number): number => Math.max(0, (ms - start) / 1000);
    const { pairs, records } = this.runRecords(start, nodes, scope);
    const metrics = computeCoverage(records, pairs, seconds(nowMs));
    const hasPairs = pairs.length > 0;
    return {
      ...base,
      pairsInScope: pairs.length,
      pairsMeasured: Math.round(metrics.coveredFraction * pairs.length),
      coverage: metrics.coveredFraction,
      timeToFullCoverageMs:
        metrics.fullCoverageSeconds === null
          ? null
          : Math.round(metrics.fullCoverageSeconds * 1000),
      meanWaitMs: hasPairs ? Math.round(metrics.meanWaitSeconds * 1000) : null,
      fairness: hasPairs ? metrics.pairCountStdDev : null,
    };
  }
}

const NO_FIGURES = { timeToFullCoverageMs: null, meanWaitMs: null, fairness: null } as const;

function scopeOf(
  nodes: readonly { node: string; firstSeenMs: number }[],
  scope: CoverageScope | null,
  seconds: (ms: number) => number,
): PairInScope[] {
  if (scope === null) {
    return pairsSinceJoined(
      nodes.map((node) => ({ name: node.node, joinedAtSeconds: seconds(node.firstSeenMs) })),
    );
  }
  const known = new Map(nodes.map((node) => [node.node, node.firstSeenMs]));
  const pairs: PairInScope[] = [];
  for (const { monitor, sensor, sinceMs } of scope.pairs.values()) {
    const monitorSince = known.get(monitor);
    const sensorSince = known.get(sensor);
    // A pair counts once both ends exist: an intent naming a node not seen yet waits.
    if (monitorSince === undefined || sensorSince === undefined) continue;
    const since = Math.max(sinceMs, monitorSince, sensorSince);
    pairs.push({ monitor, sensor, sinceSeconds: seconds(since) });
  }
  return pairs;
}

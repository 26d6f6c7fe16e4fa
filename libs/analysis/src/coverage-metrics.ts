import type { MeasurementRecord } from './measurement-record.js';

export interface PairInScope {
  readonly monitor: string;
  readonly sensor: string;
  /** When the pair came into scope (both nodes present); 0 for a pair there from the start. */
  readonly sinceSeconds: number;
}

export interface CoverageMetrics {
  readonly pairs: number;
  readonly measurements: number;
  /** When every pair in scope had been measured at least once; null if never. */
  readonly fullCoverageSeconds: number | null;
  /** Pairs measured at least once, over pairs in scope. */
  readonly coveredFraction: number;
  /**
   * Mean over pairs and over the run of the time since the pair was last measured (a pair
   * not yet measured counts from when it came into scope): the thesis's "average wait",
   * computed exactly rather than by sampling.
   */
  readonly meanWaitSeconds: number;
  /** Cluster-wide mean gap between consecutive completed measurements. */
  readonly meanSecondsBetweenMeasurements: number | null;
  readonly meanEventSeconds: number | null;
  /** Thesis: event time / mean time between measurements. */
  readonly meanConcurrentSessions: number | null;
  /** Fairness: population standard deviation of per-pair measurement counts. */
  readonly pairCountStdDev: number;
}

const key = (monitor: string, sensor: string): string => `${monitor}\u0000${sensor}`;

/**
 * The thesis's scheduler metrics (section 8.1) over a log of completed measurements and
 * an observation window [0, untilSeconds]. A measurement counts at its end, when its
 * result exists. Measurements of pairs outside the scope are ignored.
 */
export function computeCoverage(
  records: readonly MeasurementRecord[],
  scope: readonly PairInScope[],
  untilSeconds: number,
): CoverageMetrics {
  const ends = new Map<string, number[]>();
  for (const pair of scope) ends.set(key(pair.monitor, pair.sensor), []);
  const completions: number[] = [];
  let eventSecondsTotal = 0;
  for (const record of records) {
    if (record.endSeconds > untilSeconds) continue;
    const list = ends.get(key(record.monitor, record.sensor));
    if (!list) continue;
    list.push(record.endSeconds);
    completions.push(record.endSeconds);
    eventSecondsTotal += record.endSeconds - record.startSeconds;
  }

  let fullCoverage: number | null = scope.length > 0 ? 0 : null;
  let covered = 0;
  let waitIntegral = 0;
  let observedPairSeconds = 0;
  const counts: number[] = [];
  for (const pair of scope) {
    const list = ends.get(key(pair.monitor, pair.sensor)) ?? [];
    list.sort((a, b) => a - b);
    counts.push(list.length);
    const firstAfterScope = list.find((end) => end >= pair.sinceSeconds);
    if (firstAfterScope === undefined) fullCoverage = null;
    else {
      covered += 1;
      if (fullCoverage !== null) fullCoverage = Math.max(fullCoverage, firstAfterScope);
    }
    // The wait grows linearly and drops to zero at each measurement: integrate the saw-tooth.
    let since = pair.sinceSeconds;
    for (const end of list) {
      if (end < since) continue;
      waitIntegral += ((end - since) * (end - since)) / 2;
      since = end;
    }
    const tail = Math.max(0, untilSeconds - since);
    waitIntegral += (tail * tail) / 2;
    observedPairSeconds += Math.max(0, untilSeconds - pair.sinceSeconds);
  }

  completions.sort((a, b) => a - b);
  const between =
    completions.length >= 2
      ? (completions[completions.length - 1] - completions[0]) / (completions.length - 1)
      : null;
  const meanEvent = completions.length > 0 ? eventSecondsTotal / completions.length : null;
  const meanCount = counts.length > 0 ? counts.reduce((a, b) => a + b, 0) / counts.length : 0;
  const variance =
    counts.length > 0
      ? counts.reduce((sum, c) => sum + (c - meanCount) ** 2, 0) / counts.length
      : 0;

  return {
    pairs: scope.length,
    measurements: completions.length,
    fullCoverageSeconds: fullCoverage,
    coveredFraction: scope.length > 0 ? covered / scope.length : 0,
    meanWaitSeconds: observedPairSeconds > 0 ? waitIntegral / observedPairSeconds : 0,
    meanSecondsBetweenMeasurements: between,
    meanEventSeconds: meanEvent,
    meanConcurrentSessions:
      between && meanEvent !== null && between > 0 ? meanEvent / between : null,
    pairCountStdDev: Math.sqrt(variance),
  };
}

/** Every ordered pair of distinct nodes, all in scope since `sinceSeconds`. */
export function allPairs(nodes: readonly string[], sinceSeconds = 0): PairInScope[] {
  return pairsSinceJoined(nodes.map((name) => ({ name, joinedAtSeconds: sinceSeconds })));
}

/**
 * Every ordered pair of distinct nodes, each in scope from the moment both were present:
 * "every pair in scope is eventually measured" is judged on those, in the simulator and
 * in the lab alike.
 */
export function pairsSinceJoined(
  nodes: readonly { readonly name: string; readonly joinedAtSeconds: number }[],
): PairInScope[] {
  const pairs: PairInScope[] = [];
  for (const monitor of nodes) {
    for (const sensor of nodes) {
      if (monitor === sensor) continue;
      pairs.push({
        monitor: monitor.name,
        sensor: sensor.name,
        sinceSeconds: Math.max(monitor.joinedAtSeconds, sensor.joinedAtSeconds),
      });
    }
  }
  return pairs;
}

/** The lower bound on time to full coverage: N(N-1) events, at most floor(N/2) at once. */
export function coverageFloorSeconds(nodes: number, eventSeconds: number): number {
  return ((nodes * (nodes - 1)) / Math.floor(nodes / 2)) * eventSeconds;
}

import { median, valuesOfNode, type PairMatrix } from './pair-matrix.js';

export type OutlierMetric = 'throughput' | 'rtt';

export interface Outlier {
  readonly node: string;
  readonly metric: OutlierMetric;
  /** The node's median over its pairs, and the median of that over all nodes. */
  readonly nodeMedian: number;
  readonly clusterMedian: number;
}

/** A pair whose own value stands out from the median over every pair. */
export interface PairOutlier {
  readonly monitor: string;
  readonly sensor: string;
  readonly metric: OutlierMetric;
  readonly value: number;
  readonly clusterMedian: number;
}

/** A node whose pairs carry less than this share of the typical node's throughput stands out. */
export const THROUGHPUT_OUTLIER_RATIO = 0.75;
/** A node whose pairs see more than this multiple of the typical node's RTT stands out... */
export const RTT_OUTLIER_RATIO = 1.5;
/** ...and by at least this much, so microsecond noise on an idle bridge never counts. */
export const RTT_OUTLIER_MIN_EXCESS_MS = 0.05;

/** The rule's thresholds; the defaults are the lab's, tuned on its link-rate runs. */
export interface OutlierThresholds {
  /** Flag throughput below `throughputRatio` times the typical (0 < ratio < 1). */
  readonly throughputRatio: number;
  /** Flag RTT above `rttRatio` times the typical (ratio > 1)... */
  readonly rttRatio: number;
  /** ...and at least this many ms above it. */
  readonly rttMinExcessMs: number;
}

export const DEFAULT_OUTLIER_THRESHOLDS: OutlierThresholds = {
  throughputRatio: THROUGHPUT_OUTLIER_RATIO,
  rttRatio: RTT_OUTLIER_RATIO,
  rttMinExcessMs: RTT_OUTLIER_MIN_EXCESS_MS,
};

type Severity = (value: number, typical: number) => number;

/** 0 for a value that does not stand out, else how far out it is (always > 0). */
function severityOf(metric: OutlierMetric, thresholds: OutlierThresholds): Severity {
  if (metric === 'throughput') {
    return (value, typical) =>
      typical > 0 && value < thresholds.throughputRatio * typical
        ? typical / Math.max(value, 1e-9)
        : 0;
  }
  return (value, typical) =>
    value > thresholds.rttRatio * typical && value - typical > thresholds.rttMinExcessMs
      ? value / Math.max(typical, 1e-9)
      : 0;
}

/**
 * Which nodes stand out. A node is summarised by the median over every pair it takes part
 * in (as monitor or sensor), and compared with the typical node, the median of those
 * summaries. One bad node drags every other node's pairs down too (each has a pair with
 * it), which can hide a second, milder one; so the worst node is flagged first, and the
 * others are then judged again on pairs without it, until no node stands out or only a
 * bare majority is left to say what is typical.
 */
export function findOutliers(
  nodes: readonly string[],
  throughputBps: PairMatrix,
  rttMs: PairMatrix,
  thresholds: OutlierThresholds = DEFAULT_OUTLIER_THRESHOLDS,
): Outlier[] {
  return [
    ...findNodeOutliers(nodes, throughputBps, 'throughput', thresholds),
    ...findNodeOutliers(nodes, rttMs, 'rtt', thresholds),
  ];
}

/** `findOutliers` for one metric. */
export function findNodeOutliers(
  nodes: readonly string[],
  matrix: PairMatrix,
  metric: OutlierMetric,
  thresholds: OutlierThresholds = DEFAULT_OUTLIER_THRESHOLDS,
): Outlier[] {
  const severity = severityOf(metric, thresholds);
  const flagged: Outlier[] = [];
  const excluded = new Set<string>();
  // Stop while more than half of the nodes are left unflagged: they define "typical".
  while (nodes.length - excluded.size > Math.max(2, Math.floor(nodes.length / 2))) {
    const kept = withoutNodes(matrix, excluded);
    const summaries = nodes
      .filter((node) => !excluded.has(node))
      .map((node) => ({ node, value: median(valuesOfNode(kept, node)) }))
      .filter((entry): entry is { node: string; value: number } => entry.value !== null);
    const typical = median(summaries.map((entry) => entry.value));
    if (typical === null) break;
    let worst: { node: string; value: number; severity: number } | null = null;
    for (const entry of summaries) {
      const how = severity(entry.value, typical);
      if (how > 0 && (worst === null || how > worst.severity)) worst = { ...entry, severity: how };
    }
    if (!worst) break;
    flagged.push({ node: worst.node, metric, nodeMedian: worst.value, clusterMedian: typical });
    excluded.add(worst.node);
  }
  return flagged;
}

/**
 * Which pairs stand out from the median over all pairs, by the same rule as nodes. Needs
 * three pairs or more, for the same reason nodes do: two cannot say which one is typical.
 * Worst first.
 */
export function findPairOutliers(
  matrix: PairMatrix,
  metric: OutlierMetric,
  thresholds: OutlierThresholds = DEFAULT_OUTLIER_THRESHOLDS,
): PairOutlier[] {
  const severity = severityOf(metric, thresholds);
  const entries: { monitor: string; sensor: string; value: number }[] = [];
  for (const [monitor, row] of Object.entries(matrix)) {
    for (const [sensor, value] of Object.entries(row)) entries.push({ monitor, sensor, value });
  }
  const typical = entries.length >= 3 ? median(entries.map((entry) => entry.value)) : null;
  if (typical === null) return [];
  return entries
    .map((entry) => ({ ...entry, severity: severity(entry.value, typical) }))
    .filter((entry) => entry.severity > 0)
    .sort((a, b) => b.severity - a.severity)
    .map(({ monitor, sensor, value }) => ({
      monitor,
      sensor,
      metric,
      value,
      clusterMedian: typical,
    }));
}

/** The matrix without any pair that involves one of `nodes`. */
function withoutNodes(matrix: PairMatrix, nodes: ReadonlySet<string>): PairMatrix {
  const out: PairMatrix = {};
  for (const [monitor, row] of Object.entries(matrix)) {
    if (nodes.has(monitor)) continue;
    for (const [sensor, value] of Object.entries(row)) {
      if (!nodes.has(sensor)) (out[monitor] ??= {})[sensor] = value;
    }
  }
  return out;
}

import { median, valuesOfNode, type PairMatrix } from './pair-matrix.js';

export interface Outlier {
  readonly node: string;
  readonly metric: 'throughput' | 'rtt';
  /** The node's median over its pairs, and the median of that over all nodes. */
  readonly nodeMedian: number;
  readonly clusterMedian: number;
}

/** A node whose pairs carry less than this share of the typical node's throughput stands out. */
export const THROUGHPUT_OUTLIER_RATIO = 0.75;
/** A node whose pairs see more than this multiple of the typical node's RTT stands out... */
export const RTT_OUTLIER_RATIO = 1.5;
/** ...and by at least this much, so microsecond noise on an idle bridge never counts. */
export const RTT_OUTLIER_MIN_EXCESS_MS = 0.05;

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
): Outlier[] {
  return [
    ...flagInTurn(nodes, throughputBps, 'throughput', (value, typical) =>
      typical > 0 && value < THROUGHPUT_OUTLIER_RATIO * typical
        ? typical / Math.max(value, 1e-9)
        : 0,
    ),
    ...flagInTurn(nodes, rttMs, 'rtt', (value, typical) =>
      value > RTT_OUTLIER_RATIO * typical && value - typical > RTT_OUTLIER_MIN_EXCESS_MS
        ? value / Math.max(typical, 1e-9)
        : 0,
    ),
  ];
}

/** `severity` is 0 for a node that does not stand out, else how far out it is. */
function flagInTurn(
  nodes: readonly string[],
  matrix: PairMatrix,
  metric: Outlier['metric'],
  severity: (value: number, typical: number) => number,
): Outlier[] {
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

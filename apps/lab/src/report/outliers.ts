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
 * Which nodes stand out. Each node is summarised by the median over every pair it takes
 * part in (as monitor or sensor), so one slow link makes both of its ends look a little
 * worse but only a node whose links are all slow looks much worse; the typical node is the
 * median of those summaries. Needs at least three nodes to say who is typical.
 */
export function findOutliers(
  nodes: readonly string[],
  throughputBps: PairMatrix,
  rttMs: PairMatrix,
): Outlier[] {
  if (nodes.length < 3) return [];
  const outliers: Outlier[] = [];
  const summarise = (matrix: PairMatrix) =>
    nodes
      .map((node) => ({ node, value: median(valuesOfNode(matrix, node)) }))
      .filter((entry): entry is { node: string; value: number } => entry.value !== null);

  const throughput = summarise(throughputBps);
  const typicalThroughput = median(throughput.map((entry) => entry.value));
  if (typicalThroughput !== null && typicalThroughput > 0) {
    for (const { node, value } of throughput) {
      if (value < THROUGHPUT_OUTLIER_RATIO * typicalThroughput) {
        outliers.push({
          node,
          metric: 'throughput',
          nodeMedian: value,
          clusterMedian: typicalThroughput,
        });
      }
    }
  }
  const rtt = summarise(rttMs);
  const typicalRtt = median(rtt.map((entry) => entry.value));
  if (typicalRtt !== null) {
    for (const { node, value } of rtt) {
      if (
        value > RTT_OUTLIER_RATIO * typicalRtt &&
        value - typicalRtt > RTT_OUTLIER_MIN_EXCESS_MS
      ) {
        outliers.push({ node, metric: 'rtt', nodeMedian: value, clusterMedian: typicalRtt });
      }
    }
  }
  return outliers;
}

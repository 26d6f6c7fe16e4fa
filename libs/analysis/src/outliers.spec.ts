import { findOutliers, findPairOutliers } from './outliers.js';
import type { PairMatrix } from './pair-matrix.js';

const NODES = ['n1', 'n2', 'n3', 'n4'];
const FAST = 500e6;

/** Every ordered pair of `nodes`, valued by `value(monitor, sensor)`. */
function matrixOf(
  nodes: readonly string[],
  value: (monitor: string, sensor: string) => number,
): PairMatrix {
  const matrix: PairMatrix = {};
  for (const monitor of nodes)
    for (const sensor of nodes)
      if (monitor !== sensor) (matrix[monitor] ??= {})[sensor] = value(monitor, sensor);
  return matrix;
}

const even = (value: number) => matrixOf(NODES, () => value);

describe(findOutliers.name, () => {
  it('outliers - names a node whose every pair runs at a fifth of the throughput', () => {
    const throughput = matrixOf(NODES, (m, s) => (m === 'n3' || s === 'n3' ? FAST / 5 : FAST));

    expect(findOutliers(NODES, throughput, even(0.05))).toEqual([
      { node: 'n3', metric: 'throughput', nodeMedian: FAST / 5, clusterMedian: FAST },
    ]);
  });

  it('outliers - does not name the ends of one slow pair', () => {
    const throughput = matrixOf(NODES, (m, s) => (m === 'n1' && s === 'n2' ? FAST / 5 : FAST));

    expect(findOutliers(NODES, throughput, even(0.05))).toEqual([]);
  });

  it('outliers - nobody stands out in an even cluster', () => {
    expect(findOutliers(NODES, even(FAST), even(0.05))).toEqual([]);
  });

  it('outliers - names a node whose RTT is both well above the typical ratio and the noise', () => {
    const rtt = matrixOf(NODES, (m, s) => (m === 'n4' || s === 'n4' ? 0.2 : 0.05));

    expect(findOutliers(NODES, even(FAST), rtt)).toEqual([
      { node: 'n4', metric: 'rtt', nodeMedian: 0.2, clusterMedian: 0.05 },
    ]);
  });

  it('outliers - an RTT three times the typical but within the noise is not an outlier', () => {
    const rtt = matrixOf(NODES, (m, s) => (m === 'n4' || s === 'n4' ? 0.06 : 0.02));

    expect(findOutliers(NODES, even(FAST), rtt)).toEqual([]);
  });

  it('outliers - an RTT well above the noise but under the ratio is not an outlier', () => {
    const rtt = matrixOf(NODES, (m, s) => (m === 'n4' || s === 'n4' ? 1.4 : 1.0));

    expect(findOutliers(NODES, even(FAST), rtt)).toEqual([]);
  });

  it('outliers - a node slow on both counts is named for each', () => {
    const slow = (m: string, s: string) => m === 'n2' || s === 'n2';
    const throughput = matrixOf(NODES, (m, s) => (slow(m, s) ? FAST / 5 : FAST));
    const rtt = matrixOf(NODES, (m, s) => (slow(m, s) ? 2 : 0.1));

    expect(findOutliers(NODES, throughput, rtt).map((o) => `${o.node} ${o.metric}`)).toEqual([
      'n2 throughput',
      'n2 rtt',
    ]);
  });

  it('outliers - needs three nodes to say who is typical', () => {
    const pair = ['n1', 'n2'];
    const throughput = { n1: { n2: 1 }, n2: { n1: FAST } };
    const rtt = { n1: { n2: 100 }, n2: { n1: 0.01 } };

    expect(findOutliers(pair, throughput, rtt)).toEqual([]);
  });

  it('outliers - a listed node without measurements is neither typical nor an outlier', () => {
    const throughput = matrixOf(NODES, (m, s) => (m === 'n3' || s === 'n3' ? FAST / 5 : FAST));

    expect(findOutliers([...NODES, 'n9'], throughput, {}).map((o) => o.node)).toEqual(['n3']);
  });

  it('outliers - only the listed nodes are judged', () => {
    const throughput = matrixOf(NODES, (m, s) => (m === 'n3' || s === 'n3' ? FAST / 5 : FAST));

    expect(findOutliers(['n1', 'n2', 'n4'], throughput, {})).toEqual([]);
  });
});

describe(findPairOutliers.name, () => {
  it('pair outliers - names the one slow pair with the median over all pairs', () => {
    const throughput = matrixOf(NODES, (m, s) => (m === 'n1' && s === 'n2' ? FAST / 5 : FAST));

    expect(findPairOutliers(throughput, 'throughput')).toEqual([
      { monitor: 'n1', sensor: 'n2', metric: 'throughput', value: FAST / 5, clusterMedian: FAST },
    ]);
  });

  it('pair outliers - a looser threshold lets a mildly slow pair pass', () => {
    const throughput = matrixOf(NODES, (m, s) => (m === 'n1' && s === 'n2' ? FAST * 0.6 : FAST));

    expect(findPairOutliers(throughput, 'throughput')).toHaveLength(1);
    const loose = { throughputRatio: 0.5, rttRatio: 1.5, rttMinExcessMs: 0.05 };
    expect(findPairOutliers(throughput, 'throughput', loose)).toEqual([]);
  });

  it('pair outliers - RTT pairs must exceed both the ratio and the noise floor', () => {
    const rtt = matrixOf(NODES, (m, s) => (m === 'n4' && s === 'n1' ? 0.5 : 0.1));

    expect(findPairOutliers(rtt, 'rtt').map((p) => `${p.monitor}>${p.sensor}`)).toEqual(['n4>n1']);
    expect(
      findPairOutliers(
        matrixOf(NODES, () => 0.01),
        'rtt',
      ),
    ).toEqual([]);
  });

  it('pair outliers - two pairs are too few to say which is typical', () => {
    expect(findPairOutliers({ n1: { n2: 1 }, n2: { n1: FAST } }, 'throughput')).toEqual([]);
  });
});

describe(`${findOutliers.name} thresholds`, () => {
  it('outliers - a stricter RTT ratio flags a node the default lets pass', () => {
    const rtt = matrixOf(NODES, (m, s) => (m === 'n4' || s === 'n4' ? 1.4 : 1.0));
    const strict = { throughputRatio: 0.75, rttRatio: 1.2, rttMinExcessMs: 0.05 };

    expect(findOutliers(NODES, even(FAST), rtt, strict).map((o) => o.node)).toEqual(['n4']);
  });
});

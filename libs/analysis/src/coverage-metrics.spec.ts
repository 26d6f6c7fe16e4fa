import {
  allPairs,
  computeCoverage,
  coverageFloorSeconds,
  type PairInScope,
} from './coverage-metrics.js';
import type { MeasurementRecord } from './measurement-record.js';

const run = (
  monitor: string,
  sensor: string,
  startSeconds: number,
  endSeconds: number,
): MeasurementRecord => ({ monitor, sensor, startSeconds, endSeconds });

const pair = (monitor: string, sensor: string, sinceSeconds = 0): PairInScope => ({
  monitor,
  sensor,
  sinceSeconds,
});

describe(computeCoverage.name, () => {
  const sut = computeCoverage;

  it('coverage - full coverage is the latest of the pairs’ first measurement ends', () => {
    const records = [run('a', 'b', 0, 10), run('b', 'a', 10, 25), run('a', 'b', 30, 40)];
    const result = sut(records, allPairs(['a', 'b']), 100);
    expect(result.fullCoverageSeconds).toBe(25);
    expect(result.coveredFraction).toBe(1);
    expect(result.pairs).toBe(2);
    expect(result.measurements).toBe(3);
  });

  it('coverage - full coverage is null while one pair has never been measured', () => {
    const result = sut([run('a', 'b', 0, 10)], allPairs(['a', 'b']), 100);
    expect(result.fullCoverageSeconds).toBeNull();
    expect(result.coveredFraction).toBe(0.5);
  });

  it('coverage - mean wait is the exact saw-tooth integral over pairs and time', () => {
    // One pair measured at 10 and 30 over [0, 40]: 10²/2 + 20²/2 + 10²/2 = 50 + 200 + 50 = 300.
    const result = sut([run('a', 'b', 0, 10), run('a', 'b', 20, 30)], [pair('a', 'b')], 40);
    expect(result.meanWaitSeconds).toBeCloseTo(300 / 40, 12);
  });

  it('coverage - mean wait averages over pairs, an unmeasured pair waiting all along', () => {
    // a->b as above (300); b->a never measured: 40²/2 = 800. Over 2 x 40 pair-seconds.
    const result = sut([run('a', 'b', 0, 10), run('a', 'b', 20, 30)], allPairs(['a', 'b']), 40);
    expect(result.meanWaitSeconds).toBeCloseTo((300 + 800) / 80, 12);
  });

  it('coverage - a pair that came into scope later counts its wait from then', () => {
    // a->b since 0, measured at 10: 10²/2 + 30²/2 = 500 over 40 s.
    // c->d since 20, measured at 30: 10²/2 + 10²/2 = 100 over 20 s.
    const records = [run('a', 'b', 0, 10), run('c', 'd', 25, 30)];
    const result = sut(records, [pair('a', 'b'), pair('c', 'd', 20)], 40);
    expect(result.meanWaitSeconds).toBeCloseTo((500 + 100) / 60, 12);
    expect(result.fullCoverageSeconds).toBe(30);
  });

  it('coverage - a measurement that ended before its pair came into scope does not cover it', () => {
    const result = sut([run('a', 'b', 0, 10)], [pair('a', 'b', 15)], 40);
    expect(result.fullCoverageSeconds).toBeNull();
    expect(result.coveredFraction).toBe(0);
    // Waiting from 15 to 40: 25²/2 over 25 s.
    expect(result.meanWaitSeconds).toBeCloseTo(12.5, 12);
  });

  it('coverage - ignores measurements of pairs outside the scope', () => {
    const records = [run('a', 'b', 0, 10), run('a', 'x', 0, 5), run('x', 'b', 12, 20)];
    const result = sut(records, [pair('a', 'b')], 40);
    expect(result.measurements).toBe(1);
    expect(result.meanEventSeconds).toBe(10);
    expect(result.meanSecondsBetweenMeasurements).toBeNull();
    expect(result.pairCountStdDev).toBe(0);
  });

  it('coverage - ignores measurements that end after untilSeconds', () => {
    const records = [run('a', 'b', 0, 10), run('b', 'a', 35, 45)];
    const result = sut(records, allPairs(['a', 'b']), 40);
    expect(result.measurements).toBe(1);
    expect(result.fullCoverageSeconds).toBeNull();
  });

  it('coverage - counts a measurement ending exactly at untilSeconds', () => {
    const result = sut([run('a', 'b', 30, 40)], [pair('a', 'b')], 40);
    expect(result.fullCoverageSeconds).toBe(40);
    expect(result.meanWaitSeconds).toBeCloseTo(800 / 40, 12);
  });

  it('coverage - fairness is the population standard deviation of per-pair counts: [1, 3] gives 1', () => {
    const records = [
      run('a', 'b', 0, 5),
      run('b', 'a', 5, 10),
      run('b', 'a', 10, 15),
      run('b', 'a', 15, 20),
    ];
    const result = sut(records, allPairs(['a', 'b']), 40);
    expect(result.pairCountStdDev).toBe(1);
  });

  it('coverage - mean concurrent sessions is mean event time over mean time between completions', () => {
    // Ends at 10, 14, 22: between = (22 - 10) / 2 = 6. Events 10, 8, 6: mean 8.
    const records = [run('a', 'b', 0, 10), run('c', 'd', 6, 14), run('b', 'a', 16, 22)];
    const result = sut(records, allPairs(['a', 'b', 'c', 'd']), 40);
    expect(result.meanSecondsBetweenMeasurements).toBe(6);
    expect(result.meanEventSeconds).toBe(8);
    expect(result.meanConcurrentSessions).toBeCloseTo(8 / 6, 12);
  });

  it('coverage - reports no rates without measurements and zero pairs without a scope', () => {
    const empty = sut([], [], 40);
    expect(empty).toEqual(
      expect.objectContaining({
        pairs: 0,
        measurements: 0,
        fullCoverageSeconds: null,
        coveredFraction: 0,
        meanWaitSeconds: 0,
        meanSecondsBetweenMeasurements: null,
        meanEventSeconds: null,
        meanConcurrentSessions: null,
        pairCountStdDev: 0,
      }),
    );
  });
});

describe(allPairs.name, () => {
  it('all pairs - lists every ordered pair of distinct nodes, n(n-1) of them', () => {
    for (const n of [1, 2, 3, 7]) {
      const nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
      const pairs = allPairs(nodes, 5);
      expect(pairs).toHaveLength(n * (n - 1));
      expect(new Set(pairs.map((p) => `${p.monitor}>${p.sensor}`)).size).toBe(n * (n - 1));
      for (const p of pairs) {
        expect(p.monitor).not.toBe(p.sensor);
        expect(p.sinceSeconds).toBe(5);
      }
    }
  });

  it('all pairs - puts pairs in scope from 0 by default', () => {
    expect(allPairs(['a', 'b'])).toEqual([pair('a', 'b'), pair('b', 'a')]);
  });
});

describe(coverageFloorSeconds.name, () => {
  it('coverage floor - is N(N-1) events at floor(N/2) at once: 6 events for 4 nodes', () => {
    expect(coverageFloorSeconds(4, 13.45)).toBeCloseTo(6 * 13.45, 10);
  });

  it('coverage floor - rounds the parallelism down for odd N: 20 events in pairs of 2 for 5 nodes', () => {
    expect(coverageFloorSeconds(5, 10)).toBe(100);
  });
});

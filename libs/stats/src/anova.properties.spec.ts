/**
 * Properties every correct one-way analysis has, over random groups: it does not depend
 * on the unit or origin of the measurements, nor on the order of the groups; it agrees
 * with stdlib's independent raw-data ANOVA; and with two groups the studentized-range
 * tests collapse to the F tests (Tukey's p is the ANOVA's, Games-Howell's is Welch's).
 */
import anova1 from '@stdlib/stats-anova1';
import fc from 'fast-check';
import { analyseValues } from './anova-report.js';
import { summariseValues } from './describe-groups.js';
import { effectSizes } from './effect-sizes.js';
import type { GroupValues } from './group-types.js';
import { oneWayAnova, oneWayAnovaFromValues } from './one-way-anova.js';
import { tukeyHsd } from './tukey-hsd.js';
import { leveneTest } from './variance-tests.js';
import { welchAnova } from './welch-anova.js';

/** 2-5 groups of 2-12 values in ±1000 with 3 decimals, some variation somewhere. */
const groupsArbitrary = (minGroups = 2, maxGroups = 5) =>
  fc
    .array(
      fc.array(
        fc.integer({ min: -1_000_000, max: 1_000_000 }).map((milli) => milli / 1000),
        { minLength: 2, maxLength: 12 },
      ),
      { minLength: minGroups, maxLength: maxGroups },
    )
    .map((groups): GroupValues[] => groups.map((values, i) => ({ name: `g${i}`, values })))
    .filter((groups) => groups.some(({ values }) => values.some((v) => v !== values[0])));

/** Equal up to rounding: relative where the figures are large, absolute near 0. */
const close = (a: number, b: number, tolerance = 1e-6) =>
  Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The figures that must not change under a change of unit, origin or group order.
 * Computed piece by piece rather than through analyseValues: Games-Howell's intervals
 * take one studentized-range quantile per pair, the slow part, and add nothing here.
 */
function invariants(groups: readonly GroupValues[]): number[] {
  const summaries = groups.map(summariseValues);
  const anova = oneWayAnova(summaries);
  // Group order decides which of a pair is `a`: key the pairs by their names, sorted.
  const pairs = tukeyHsd(summaries)
    .map((pair) => ({ key: [pair.a, pair.b].sort().join('/'), pair }))
    .sort((x, y) => x.key.localeCompare(y.key))
    .map(({ pair }) => pair);
  return [
    anova.F,
    anova.p,
    effectSizes(anova).etaSquared,
    welchAnova(summaries)?.F ?? -1,
    leveneTest(groups)?.F ?? -1,
    ...pairs.map((pair) => pair.q),
    ...pairs.map((pair) => pair.pAdjusted),
  ];
}

const allClose = (a: number[], b: number[]) =>
  a.length === b.length && a.every((value, i) => close(value, b[i]));

// 100 runs where a run integrates the studentized range (about 10 ms each time).
describe('one-way analysis properties', () => {
  it('properties - adding a constant to every value changes nothing', () => {
    fc.assert(
      fc.property(groupsArbitrary(), fc.integer({ min: -10_000, max: 10_000 }), (groups, shift) => {
        const shifted = groups.map((g) => ({ ...g, values: g.values.map((v) => v + shift) }));

        expect(allClose(invariants(shifted), invariants(groups))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('properties - a change of unit (any factor but 0, sign included) changes nothing', () => {
    const factor = fc.oneof(fc.constant(-1), fc.constant(1000), fc.constant(1e-3), fc.constant(8));
    fc.assert(
      fc.property(groupsArbitrary(), factor, (groups, k) => {
        const scaled = groups.map((g) => ({ ...g, values: g.values.map((v) => v * k) }));

        expect(allClose(invariants(scaled), invariants(groups))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('properties - the order of the groups changes nothing', () => {
    fc.assert(
      fc.property(groupsArbitrary(3), (groups) => {
        const reversed = [...groups].reverse();

        expect(allClose(invariants(reversed), invariants(groups))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('properties - F and p agree with stdlib anova1 on the raw values', () => {
    fc.assert(
      fc.property(groupsArbitrary(), (groups) => {
        const values = groups.flatMap((g) => g.values);
        const factor = groups.flatMap((g) => g.values.map(() => g.name));
        const reference = anova1(values, factor);
        const anova = oneWayAnovaFromValues(groups);

        expect(close(anova.F, reference.statistic)).toBe(true);
        expect(close(anova.p, reference.pValue)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('properties - with two groups Tukey gives the ANOVA p and Games-Howell gives Welch p', () => {
    fc.assert(
      fc.property(groupsArbitrary(2, 2), (groups) => {
        const report = analyseValues(groups);

        // q = √2 · |t| and P(Q₂ > q) = P(|T| > t) = P(F₁ > t²): two distributions, one
        // tail. jstat's studentized range is good to 7.2e-4 at df = 2 (distributions.spec).
        const tolerance = 1e-3;
        expect(Math.abs(report.tukey[0].pAdjusted - report.anova.p)).toBeLessThan(tolerance);
        if (report.gamesHowell !== null) {
          const [pair] = report.gamesHowell;
          expect(Math.abs(pair.pAdjusted - report.welch!.p)).toBeLessThan(tolerance);
          expect(close(pair.df, report.welch!.dfWithin)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

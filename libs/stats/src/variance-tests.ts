import { summariseValues } from './describe-groups.js';
import type { GroupValues } from './group-types.js';
import { anovaTable } from './one-way-anova.js';
import { checkValueGroups } from './validate-groups.js';

/** A test of equal variances: an ANOVA on each value's distance from its group's centre. */
export interface VarianceTest {
  /** `mean`: Levene (1960); `median`: Brown and Forsythe (1974), robust to skew. */
  readonly center: 'mean' | 'median';
  readonly F: number;
  readonly dfBetween: number;
  readonly dfWithin: number;
  /** Small p: the variances differ, prefer Welch's ANOVA and Games-Howell. */
  readonly p: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Below this fraction of the largest |value|, a spread of the distances is rounding,
 * not data: two values' distances from their mean are equal, but computed they may
 * differ in the last bit, and an F of 1e28 would come out of nothing.
 */
const ROUNDING = 1e-12;

/**
 * Levene's test (center `mean`) or Brown-Forsythe's (`median`, as R's car::leveneTest
 * default). Needs the raw values. Null when the distances do not vary within any group
 * (e.g. every group holds two values), where the test's F is undefined.
 */
export function leveneTest(
  groups: readonly GroupValues[],
  center: 'mean' | 'median' = 'mean',
): VarianceTest | null {
  const checked = checkValueGroups(groups);
  const deviations = checked.map((group) => {
    const centre = center === 'mean' ? summariseValues(group).mean : median(group.values);
    return summariseValues({
      name: group.name,
      values: group.values.map((value) => Math.abs(value - centre)),
    });
  });
  const scale = Math.max(...checked.flatMap((group) => group.values.map(Math.abs)));
  const table = anovaTable(deviations);
  if (!(Math.sqrt(table.msWithin) > ROUNDING * scale)) return null;
  const { F, dfBetween, dfWithin, p } = table;
  return { center, F, dfBetween, dfWithin, p };
}

/** Brown-Forsythe: Levene's test around the medians. */
export function brownForsytheTest(groups: readonly GroupValues[]): VarianceTest | null {
  return leveneTest(groups, 'median');
}

import { studentizedRangeQuantile, studentizedRangeUpperTail } from './distributions.js';
import { groupPairs } from './group-pairs.js';
import type { GroupSummary } from './group-types.js';
import { anovaTable, requireWithinVariation } from './one-way-anova.js';
import { checkSummaries } from './validate-groups.js';

/** One pair of Tukey's HSD; `diff` is mean(a) - mean(b), `a` listed before `b`. */
export interface TukeyPair {
  readonly a: string;
  readonly b: string;
  readonly diff: number;
  /** √(MSw/2 · (1/nₐ + 1/n_b)): the studentized range's unit for this pair. */
  readonly se: number;
  readonly q: number;
  /** Family-wise adjusted p, from the studentized range of k means with dfWithin. */
  readonly pAdjusted: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

/**
 * Tukey's honestly significant difference over every pair, with the Tukey-Kramer
 * standard error so unequal n is handled (it is Tukey's own when n is equal). Assumes
 * equal variances; see gamesHowell where they differ. Same figures as R's TukeyHSD.
 */
export function tukeyHsd(groups: readonly GroupSummary[], level = 0.95): TukeyPair[] {
  const checked = checkSummaries(groups);
  requireWithinVariation(checked);
  const { msWithin, dfWithin } = anovaTable(checked);
  const k = checked.length;
  const qCritical = studentizedRangeQuantile(level, k, dfWithin);
  return groupPairs(checked).map(([a, b]) => {
    const diff = a.mean - b.mean;
    const se = Math.sqrt((msWithin / 2) * (1 / a.n + 1 / b.n));
    const q = Math.abs(diff) / se;
    return {
      a: a.name,
      b: b.name,
      diff,
      se,
      q,
      pAdjusted: studentizedRangeUpperTail(q, k, dfWithin),
      ciLower: diff - qCritical * se,
      ciUpper: diff + qCritical * se,
    };
  });
}

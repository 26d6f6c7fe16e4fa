import { fUpperTail } from './distributions.js';
import type { GroupSummary } from './group-types.js';
import { checkSummaries } from './validate-groups.js';

/** Welch's one-way ANOVA: means compared without assuming equal variances. */
export interface WelchAnova {
  readonly F: number;
  readonly dfBetween: number;
  /** Welch's approximate denominator degrees of freedom (not an integer). */
  readonly dfWithin: number;
  readonly p: number;
}

/**
 * Welch (1951), as R's `oneway.test(var.equal = FALSE)`: each group weighted by nᵢ/sdᵢ².
 * Null when a group has sd 0, whose weight would be infinite.
 */
export function welchAnova(groups: readonly GroupSummary[]): WelchAnova | null {
  const checked = checkSummaries(groups);
  if (checked.some((group) => group.sd === 0)) return null;
  const k = checked.length;
  const weights = checked.map((group) => group.n / group.sd ** 2);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const weightedMean =
    checked.reduce((sum, group, i) => sum + weights[i] * group.mean, 0) / totalWeight;
  const between =
    checked.reduce((sum, group, i) => sum + weights[i] * (group.mean - weightedMean) ** 2, 0) /
    (k - 1);
  const lambda = checked.reduce(
    (sum, group, i) => sum + (1 - weights[i] / totalWeight) ** 2 / (group.n - 1),
    0,
  );
  const F = between / (1 + (2 * (k - 2) * lambda) / (k * k - 1));
  const dfWithin = (k * k - 1) / (3 * lambda);
  return { F, dfBetween: k - 1, dfWithin, p: fUpperTail(F, k - 1, dfWithin) };
}

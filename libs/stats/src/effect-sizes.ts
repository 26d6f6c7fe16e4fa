import type { GroupSummary } from './group-types.js';
import type { OneWayAnova } from './one-way-anova.js';

/** How much of the total variation the grouping explains. */
export interface EffectSizes {
  /** SSb / SSt: the sample's share, biased upwards for small samples. */
  readonly etaSquared: number;
  /**
   * (SSb - dfb · MSw) / (SSt + MSw): the population estimate. Floored at 0 (negative
   * when F < 1), as R's effectsize::omega_squared reports it.
   */
  readonly omegaSquared: number;
}

export function effectSizes(table: OneWayAnova): EffectSizes {
  const ssTotal = table.ssBetween + table.ssWithin;
  return {
    etaSquared: table.ssBetween / ssTotal,
    omegaSquared: Math.max(
      0,
      (table.ssBetween - table.dfBetween * table.msWithin) / (ssTotal + table.msWithin),
    ),
  };
}

/**
 * The seed's post-hoc yardstick, "standard error of differences" √(MSw/n + MSw/n) =
 * √(2 · MSw / n), defined for equal n only: null when the groups' n differ. Kept so the
 * seed's appendix 9.2 can be checked; a difference larger than it is NOT a significant
 * one (use the Tukey or Games-Howell pairs for that).
 */
export function seedStandardErrorOfDifferences(
  groups: readonly GroupSummary[],
  msWithin: number,
): number | null {
  const n = groups[0].n;
  if (groups.some((group) => group.n !== n)) return null;
  return Math.sqrt((2 * msWithin) / n);
}

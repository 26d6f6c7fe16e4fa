import { summariseValues } from './describe-groups.js';
import { fQuantile, fUpperTail } from './distributions.js';
import type { GroupSummary, GroupValues } from './group-types.js';
import { StatsInputError } from './stats-input-error.js';
import { checkSummaries, checkValueGroups } from './validate-groups.js';

/** A one-way ANOVA table (equal variances assumed), as Excel's "Anova: Single Factor". */
export interface OneWayAnova {
  readonly F: number;
  readonly dfBetween: number;
  readonly dfWithin: number;
  readonly ssBetween: number;
  readonly ssWithin: number;
  readonly msBetween: number;
  /** The pooled within-group variance MSw, which Tukey's HSD and the seed's SE use. */
  readonly msWithin: number;
  readonly p: number;
  /** The F above which a test at α = 0.05 rejects (the seed's "F critical value"). */
  readonly fCritical: number;
}

export const ANOVA_ALPHA = 0.05;

/**
 * The table from summaries alone, unchecked: SSw = Σ (nᵢ - 1) sdᵢ², SSb = Σ nᵢ (meanᵢ -
 * grand mean)². With no variation within the groups F comes out as Infinity or NaN; the
 * public entry points refuse that, the variance tests turn it into "not computable".
 */
export function anovaTable(groups: readonly GroupSummary[]): OneWayAnova {
  const total = groups.reduce((sum, group) => sum + group.n, 0);
  const grandMean = groups.reduce((sum, group) => sum + group.n * group.mean, 0) / total;
  const ssBetween = groups.reduce((sum, group) => sum + group.n * (group.mean - grandMean) ** 2, 0);
  const ssWithin = groups.reduce((sum, group) => sum + (group.n - 1) * group.sd ** 2, 0);
  const dfBetween = groups.length - 1;
  const dfWithin = total - groups.length;
  const msBetween = ssBetween / dfBetween;
  const msWithin = ssWithin / dfWithin;
  const F = msBetween / msWithin;
  return {
    F,
    dfBetween,
    dfWithin,
    ssBetween,
    ssWithin,
    msBetween,
    msWithin,
    p: Number.isNaN(F) ? NaN : fUpperTail(F, dfBetween, dfWithin),
    fCritical: fQuantile(1 - ANOVA_ALPHA, dfBetween, dfWithin),
  };
}

/** Refuses groups that all have sd 0: every ratio over MSw would be x/0. */
export function requireWithinVariation(groups: readonly GroupSummary[]): void {
  if (groups.every((group) => group.sd === 0)) {
    throw new StatsInputError([
      {
        field: 'groups',
        rule: 'must not all have sd 0 (with no variation within the groups, F and the post-hoc tests are undefined)',
      },
    ]);
  }
}

/** One-way ANOVA from each group's n, mean and sd. */
export function oneWayAnova(groups: readonly GroupSummary[]): OneWayAnova {
  const checked = checkSummaries(groups);
  requireWithinVariation(checked);
  return anovaTable(checked);
}

/** One-way ANOVA from raw values: the same table as from their summaries. */
export function oneWayAnovaFromValues(groups: readonly GroupValues[]): OneWayAnova {
  return oneWayAnova(checkValueGroups(groups).map(summariseValues));
}

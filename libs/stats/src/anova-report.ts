import { describeSummaries, summariseValues } from './describe-groups.js';
import { effectSizes, seedStandardErrorOfDifferences, type EffectSizes } from './effect-sizes.js';
import { gamesHowell, type GamesHowellPair } from './games-howell.js';
import type { GroupDescription, GroupSummary, GroupValues } from './group-types.js';
import { oneWayAnova, type OneWayAnova } from './one-way-anova.js';
import { tukeyHsd, type TukeyPair } from './tukey-hsd.js';
import { checkSummaries, checkValueGroups } from './validate-groups.js';
import { brownForsytheTest, leveneTest, type VarianceTest } from './variance-tests.js';
import { welchAnova, type WelchAnova } from './welch-anova.js';

/** Everything the comparison reports for one metric, from the groups' summaries. */
export interface AnovaReport {
  readonly groups: readonly GroupDescription[];
  readonly anova: OneWayAnova;
  readonly effectSizes: EffectSizes;
  /** The seed's √(2 · MSw / n); null when n differs between groups. */
  readonly seDiff: number | null;
  readonly tukey: readonly TukeyPair[];
  /** Null when a group has sd 0 (see welchAnova). */
  readonly welch: WelchAnova | null;
  /** Null when a group has sd 0 or a pair's df is below 2 (see gamesHowell). */
  readonly gamesHowell: readonly GamesHowellPair[] | null;
}

/** The same from raw values, plus the tests of equal variances that need them. */
export interface ValuesAnovaReport extends AnovaReport {
  readonly levene: VarianceTest | null;
  readonly brownForsythe: VarianceTest | null;
}

/**
 * One-way ANOVA, Welch's ANOVA, Tukey HSD and Games-Howell pairs, effect sizes and the
 * seed's standard error of differences, from n, mean and sd per group. Throws a
 * StatsInputError naming the field on bad input, or when no group varies at all.
 */
export function analyseSummaries(groups: readonly GroupSummary[]): AnovaReport {
  const checked = checkSummaries(groups);
  const anova = oneWayAnova(checked);
  return {
    groups: describeSummaries(checked),
    anova,
    effectSizes: effectSizes(anova),
    seDiff: seedStandardErrorOfDifferences(checked, anova.msWithin),
    tukey: tukeyHsd(checked),
    welch: welchAnova(checked),
    gamesHowell: gamesHowell(checked),
  };
}

/** analyseSummaries over the values' summaries, plus Levene's and Brown-Forsythe's tests. */
export function analyseValues(groups: readonly GroupValues[]): ValuesAnovaReport {
  const checked = checkValueGroups(groups);
  return {
    ...analyseSummaries(checked.map(summariseValues)),
    levene: leveneTest(checked, 'mean'),
    brownForsythe: brownForsytheTest(checked),
  };
}

/**
 * Statistics for comparing groups of measurements (the orchestrator comparison): group
 * descriptions with t-based confidence intervals, one-way and Welch's ANOVA, Levene and
 * Brown-Forsythe tests, Tukey HSD and Games-Howell pairs, effect sizes. Pure: no I/O.
 * Every entry point checks its input and throws a StatsInputError naming the field.
 */
export type {
  ConfidenceInterval,
  GroupDescription,
  GroupSummary,
  GroupValues,
} from './group-types.js';
export { StatsInputError, type InputProblem } from './stats-input-error.js';
export { checkSummaries, checkValueGroups, parseSummaryFile } from './validate-groups.js';
export {
  describeSummaries,
  describeValues,
  meanConfidenceInterval,
  summariseValues,
} from './describe-groups.js';
export {
  ANOVA_ALPHA,
  oneWayAnova,
  oneWayAnovaFromValues,
  type OneWayAnova,
} from './one-way-anova.js';
export { welchAnova, type WelchAnova } from './welch-anova.js';
export { brownForsytheTest, leveneTest, type VarianceTest } from './variance-tests.js';
export { tukeyHsd, type TukeyPair } from './tukey-hsd.js';
export { gamesHowell, type GamesHowellPair } from './games-howell.js';
export { effectSizes, seedStandardErrorOfDifferences, type EffectSizes } from './effect-sizes.js';
export {
  analyseSummaries,
  analyseValues,
  type AnovaReport,
  type ValuesAnovaReport,
} from './anova-report.js';

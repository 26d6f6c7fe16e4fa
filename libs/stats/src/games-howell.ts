import { studentizedRangeQuantile, studentizedRangeUpperTail } from './distributions.js';
import { groupPairs } from './group-pairs.js';
import type { GroupSummary } from './group-types.js';
import { checkSummaries } from './validate-groups.js';

/** The studentized range (jstat, like R's ptukey) is computed from 2 degrees of freedom. */
const MIN_DF = 2;

/** One pair of the Games-Howell test; `diff` is mean(a) - mean(b). */
export interface GamesHowellPair {
  readonly a: string;
  readonly b: string;
  readonly diff: number;
  /** √((sdₐ²/nₐ + sd_b²/n_b) / 2): the pair's own variances, not the pooled MSw. */
  readonly se: number;
  readonly q: number;
  /** Welch-Satterthwaite degrees of freedom of the pair. */
  readonly df: number;
  readonly pAdjusted: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

/**
 * Games and Howell (1976): Tukey's procedure with each pair's own variances and Welch's
 * degrees of freedom, for groups whose variances differ (as rstatix::games_howell_test
 * and PMCMRplus::gamesHowellTest). Null when a group has sd 0, like welchAnova, or when
 * a pair's Welch df is below 2 (two tiny groups of very different spread), where the
 * studentized range is not computed (R's ptukey refuses it as well).
 */
export function gamesHowell(
  groups: readonly GroupSummary[],
  level = 0.95,
): GamesHowellPair[] | null {
  const checked = checkSummaries(groups);
  if (checked.some((group) => group.sd === 0)) return null;
  const k = checked.length;
  const pairs = groupPairs(checked).map(([a, b]) => {
    const varA = a.sd ** 2 / a.n;
    const varB = b.sd ** 2 / b.n;
    const df = (varA + varB) ** 2 / (varA ** 2 / (a.n - 1) + varB ** 2 / (b.n - 1));
    return { a, b, varA, varB, df };
  });
  if (pairs.some(({ df }) => df < MIN_DF)) return null;
  return pairs.map(({ a, b, varA, varB, df }) => {
    const diff = a.mean - b.mean;
    const se = Math.sqrt((varA + varB) / 2);
    const q = Math.abs(diff) / se;
    const qCritical = studentizedRangeQuantile(level, k, df);
    return {
      a: a.name,
      b: b.name,
      diff,
      se,
      q,
      df,
      pAdjusted: studentizedRangeUpperTail(q, k, df),
      ciLower: diff - qCritical * se,
      ciUpper: diff + qCritical * se,
    };
  });
}

/**
 * The distributions behind the tests, from jstat: the only file that touches it. Upper
 * tails are computed directly where jstat allows it, because `1 - cdf` loses everything
 * below 1e-16: the seed's ANOVA p-values go down to 1e-85 and must be reproduced.
 */
import jStat from 'jstat';

const clampProbability = (p: number): number => Math.min(1, Math.max(0, p));

/**
 * P(F > f) for the F distribution with (df1, df2) degrees of freedom, as the regularised
 * incomplete beta I_{df2/(df2 + df1 f)}(df2/2, df1/2): exact in the far tail.
 */
export function fUpperTail(f: number, df1: number, df2: number): number {
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  return clampProbability(jStat.ibeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2));
}

/** The F value with P(F <= value) = p, e.g. the critical F at p = 0.95. */
export function fQuantile(p: number, df1: number, df2: number): number {
  return jStat.centralF.inv(p, df1, df2);
}

/** The Student t value with P(T <= value) = p. */
export function tQuantile(p: number, df: number): number {
  return jStat.studentt.inv(p, df);
}

/**
 * P(Q > q) for the studentized range of `groups` means with `df` degrees of freedom
 * (df need not be an integer: Games-Howell uses Welch's; it must be >= 2). A numerical
 * integral (R's ptukey, ported), good to an absolute 1e-8 from df = 10 up, 5e-6 at
 * df = 5 and 7e-4 at df = 2 (distributions.spec): a p far below that is only "below".
 */
export function studentizedRangeUpperTail(q: number, groups: number, df: number): number {
  if (q <= 0) return 1;
  return clampProbability(1 - jStat.tukey.cdf(q, groups, df));
}

/** The studentized range value with P(Q <= value) = p. */
export function studentizedRangeQuantile(p: number, groups: number, df: number): number {
  return jStat.tukey.inv(p, groups, df);
}

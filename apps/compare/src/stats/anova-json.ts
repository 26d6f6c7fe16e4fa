import type { AnovaReport } from '@meshmon/stats';

/**
 * The --json object: the fields a later step reads come first under fixed names (F,
 * dfBetween, dfWithin, msWithin, p, seDiff, tukey and gamesHowell with a, b, diff, q,
 * pAdjusted); the rest of the report follows. gamesHowell and welch are null where
 * the library could not compute them (a group with sd 0).
 */
export function anovaJson(report: AnovaReport) {
  const { anova } = report;
  return {
    F: anova.F,
    dfBetween: anova.dfBetween,
    dfWithin: anova.dfWithin,
    msWithin: anova.msWithin,
    p: anova.p,
    seDiff: report.seDiff,
    tukey: report.tukey.map(({ a, b, diff, q, pAdjusted, se, ciLower, ciUpper }) => ({
      a,
      b,
      diff,
      q,
      pAdjusted,
      se,
      ciLower,
      ciUpper,
    })),
    gamesHowell:
      report.gamesHowell?.map(({ a, b, diff, q, pAdjusted, se, df, ciLower, ciUpper }) => ({
        a,
        b,
        diff,
        q,
        pAdjusted,
        se,
        df,
        ciLower,
        ciUpper,
      })) ?? null,
    fCritical: anova.fCritical,
    ssBetween: anova.ssBetween,
    ssWithin: anova.ssWithin,
    msBetween: anova.msBetween,
    etaSquared: report.effectSizes.etaSquared,
    omegaSquared: report.effectSizes.omegaSquared,
    welch: report.welch,
    groups: report.groups.map(({ name, n, mean, sd, ci }) => ({
      name,
      n,
      mean,
      sd,
      ciLower: ci.lower,
      ciUpper: ci.upper,
    })),
  };
}

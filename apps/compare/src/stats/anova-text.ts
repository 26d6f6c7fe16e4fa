import type { AnovaReport } from '@meshmon/stats';
import { formatNumber as num, formatP, textTable } from './text-table.js';

// The studentized range is good to about 1e-8 from 10 degrees of freedom (distributions.ts):
// a smaller adjusted p is printed as only that.
const PAIR_P_FLOOR = 1e-8;

function groupsSection(report: AnovaReport): string {
  const rows = report.groups.map((g) => [
    g.name,
    String(g.n),
    num(g.mean),
    num(g.sd),
    `${num(g.ci.lower)} .. ${num(g.ci.upper)}`,
  ]);
  return `Groups\n${textTable([['group', 'n', 'mean', 'sd', '95 % CI of the mean (t)'], ...rows])}`;
}

function anovaSection(report: AnovaReport): string {
  const { anova, effectSizes, welch, seDiff } = report;
  const table = textTable([
    ['source', 'SS', 'df', 'MS', 'F', 'p'],
    [
      'between',
      num(anova.ssBetween),
      String(anova.dfBetween),
      num(anova.msBetween),
      num(anova.F),
      formatP(anova.p),
    ],
    ['within', num(anova.ssWithin), String(anova.dfWithin), num(anova.msWithin), '', ''],
  ]);
  const welchLine = welch
    ? `Welch's ANOVA (unequal variances): F ${num(welch.F)}, df ${welch.dfBetween} and ${num(welch.dfWithin)}, p ${formatP(welch.p)}`
    : "Welch's ANOVA: not computed (a group has sd 0)";
  const seLine =
    seDiff === null
      ? "seed's standard error of differences: not defined (n differs between groups)"
      : `seed's standard error of differences sqrt(2 MSw / n): ${num(seDiff)} (a yardstick, not a test)`;
  return [
    'One-way ANOVA (equal variances assumed)',
    table,
    `F critical (alpha 0.05): ${num(anova.fCritical)}; eta squared ${num(effectSizes.etaSquared)}; omega squared ${num(effectSizes.omegaSquared)}`,
    welchLine,
    seLine,
  ].join('\n');
}

function tukeySection(report: AnovaReport): string {
  const rows = report.tukey.map((pair) => [
    pair.a,
    pair.b,
    num(pair.diff),
    num(pair.q),
    formatP(pair.pAdjusted, PAIR_P_FLOOR),
    `${num(pair.ciLower)} .. ${num(pair.ciUpper)}`,
  ]);
  return `Tukey HSD (Tukey-Kramer), diff = mean(a) - mean(b), 95 % family-wise\n${textTable(
    [['a', 'b', 'diff', 'q', 'p adjusted', '95 % CI'], ...rows],
    2,
  )}`;
}

function gamesHowellSection(report: AnovaReport): string {
  if (report.gamesHowell === null) {
    return 'Games-Howell: not computed (a group has sd 0, or a pair has under 2 degrees of freedom)';
  }
  const rows = report.gamesHowell.map((pair) => [
    pair.a,
    pair.b,
    num(pair.diff),
    num(pair.q),
    num(pair.df),
    formatP(pair.pAdjusted, PAIR_P_FLOOR),
    `${num(pair.ciLower)} .. ${num(pair.ciUpper)}`,
  ]);
  return `Games-Howell (unequal variances), 95 % family-wise\n${textTable(
    [['a', 'b', 'diff', 'q', 'df', 'p adjusted', '95 % CI'], ...rows],
    2,
  )}`;
}

/** The report as tables for a terminal. */
export function anovaText(report: AnovaReport): string {
  return [
    groupsSection(report),
    anovaSection(report),
    tukeySection(report),
    gamesHowellSection(report),
  ].join('\n\n');
}

/**
 * Window values to the report's comparisons: per service and metric, each orchestrator's
 * n, mean, sd and 95 % CI with its values, then one-way and Welch's ANOVA, Levene and
 * Brown-Forsythe, Tukey HSD and Games-Howell pairs and effect sizes (libs/stats, from
 * jstat). Values outside physical bounds are flagged and kept out of the statistics; a
 * metric whose groups then differ in window count is not compared, and says why.
 */
import {
  analyseValues,
  meanConfidenceInterval,
  StatsInputError,
  summariseValues,
  type ValuesAnovaReport,
} from '@meshmon/stats';
import { METRICS, type MetricName, type WindowValue } from './window-values.js';

export interface GroupFigures {
  readonly orchestrator: string;
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly ci95: readonly [number, number];
  /** One per window kept (not flagged, not missing), in window order. */
  readonly values: readonly number[];
  /** The window each value is of (MeasuredWindow.index). */
  readonly windows: readonly number[];
}

export interface Flag {
  readonly orchestrator: string;
  readonly window: number;
  readonly value: number;
  readonly rule: string;
}

export interface Comparison {
  readonly service: string;
  readonly metric: MetricName;
  readonly unit: string;
  readonly groups: readonly GroupFigures[];
  readonly anova: { F: number; dfBetween: number; dfWithin: number; p: number } | null;
  readonly welch: { F: number; dfBetween: number; dfWithin: number; p: number } | null;
  readonly levene: { F: number; dfBetween: number; dfWithin: number; p: number } | null;
  readonly brownForsythe: { F: number; dfBetween: number; dfWithin: number; p: number } | null;
  readonly effectSizes: { etaSquared: number; omegaSquared: number } | null;
  readonly tukey: readonly PairFigures[];
  readonly gamesHowell: readonly PairFigures[] | null;
  readonly flags: readonly Flag[];
  /** Why there are no statistics (or fewer), in words; null when everything was computed. */
  readonly note: string | null;
}

export interface PairFigures {
  readonly a: string;
  readonly b: string;
  readonly diff: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly pAdjusted: number;
}

/** What the machine allows: beyond these a value is the instrument's error, not a cost. */
export interface PhysicalBounds {
  readonly cores: number;
  readonly memoryMiB: number;
}

function boundRule(
  metric: MetricName,
  value: number,
  bounds: PhysicalBounds,
  known: Pick<WindowValue, 'limit' | 'minimum'>,
): string | null {
  const { limit, minimum } = known;
  if (!Number.isFinite(value) || value < 0) return 'must be a finite number >= 0';
  if (minimum !== undefined && value < minimum) {
    return `must be at least the probe traffic the results themselves report (${minimum.toFixed(1)} kB/s)`;
  }
  if (limit !== undefined && value > limit) {
    return `must be at most the containers' memory limits (${Math.round(limit)} MiB together)`;
  }
  if (metric === 'cpuPercent' && value > bounds.cores * 100) {
    return `must be at most ${bounds.cores * 100} (% of one core on ${bounds.cores} cores)`;
  }
  if (metric === 'rssMiB' && value > bounds.memoryMiB) {
    return `must be at most the machine's memory (${Math.round(bounds.memoryMiB)} MiB)`;
  }
  return null;
}

const tests = (test: { F: number; dfBetween: number; dfWithin: number; p: number } | null) =>
  test === null
    ? null
    : { F: test.F, dfBetween: test.dfBetween, dfWithin: test.dfWithin, p: test.p };

const pairs = (list: readonly PairFigures[]) =>
  list.map(({ a, b, diff, ciLower, ciUpper, pAdjusted }) => ({
    a,
    b,
    diff,
    ciLower,
    ciUpper,
    pAdjusted,
  }));

/** The comparisons of every service and metric, groups in `orchestrators` order. */
export function compareGroups(
  values: readonly WindowValue[],
  orchestrators: readonly string[],
  bounds: PhysicalBounds,
): Comparison[] {
  const keys = [...new Set(values.map((value) => `${value.service}\u0000${value.metric}`))].sort();
  return keys.map((key) => {
    const [service, metric] = key.split('\u0000') as [string, MetricName];
    const mine = values.filter((value) => value.service === service && value.metric === metric);
    return compareOne(service, metric, mine, orchestrators, bounds);
  });
}

function compareOne(
  service: string,
  metric: MetricName,
  values: readonly WindowValue[],
  orchestrators: readonly string[],
  bounds: PhysicalBounds,
): Comparison {
  const flags: Flag[] = [];
  const notes: string[] = [];
  const groups: { name: string; values: number[]; windows: number[] }[] = [];
  for (const orchestrator of orchestrators) {
    const own = values
      .filter((value) => value.orchestrator === orchestrator)
      .sort((a, b) => a.window - b.window);
    if (own.length === 0) continue;
    const missing = own.filter((value) => value.value === null);
    if (missing.length > 0) {
      notes.push(
        `${orchestrator}: ${missing.length} window(s) without a value (${missing[0].why})`,
      );
    }
    const kept: number[] = [];
    const windows: number[] = [];
    for (const value of own) {
      if (value.value === null) continue;
      const rule = boundRule(metric, value.value, bounds, value);
      if (rule === null) {
        kept.push(value.value);
        windows.push(value.window);
      } else flags.push({ orchestrator, window: value.window, value: value.value, rule });
    }
    groups.push({ name: orchestrator, values: kept, windows });
  }
  const figures: GroupFigures[] = groups
    .filter((group) => group.values.length >= 2)
    .map((group) => {
      const summary = summariseValues(group);
      const ci = meanConfidenceInterval(summary);
      return {
        orchestrator: group.name,
        n: summary.n,
        mean: summary.mean,
        sd: summary.sd,
        ci95: [ci.lower, ci.upper] as const,
        values: group.values,
        windows: group.windows,
      };
    });
  const counts = new Set(groups.map((group) => group.values.length));
  if (flags.length > 0) notes.push(`${flags.length} value(s) outside physical bounds, left out`);
  let report: ValuesAnovaReport | null = null;
  if (groups.length < 2) {
    notes.push('one orchestrator only: nothing to compare');
  } else if (counts.size > 1) {
    const list = groups.map((group) => `${group.name} ${group.values.length}`).join(', ');
    notes.push(`not compared: the groups have different window counts (${list})`);
  } else if ([...counts][0] < 2) {
    notes.push('not compared: fewer than two windows per group');
  } else {
    try {
      report = analyseValues(groups.map(({ name, values }) => ({ name, values })));
    } catch (error) {
      if (!(error instanceof StatsInputError)) throw error;
      notes.push(`not compared: ${error.message}`);
    }
  }
  return {
    service,
    metric,
    unit: METRICS[metric].unit,
    groups: figures,
    anova: report ? tests(report.anova) : null,
    welch: report ? tests(report.welch) : null,
    levene: report ? tests(report.levene) : null,
    brownForsythe: report ? tests(report.brownForsythe) : null,
    effectSizes: report ? { ...report.effectSizes } : null,
    tukey: report ? pairs(report.tukey) : [],
    gamesHowell: report?.gamesHowell ? pairs(report.gamesHowell) : null,
    flags,
    note: notes.length > 0 ? notes.join('; ') : null,
  };
}

/**
 * The report's content as plain-text tables and lines, in reading order: the Markdown
 * and the HTML renderers only dress these up, so both always say the same thing.
 * Cells hold raw text from the report; each renderer escapes it for its own format.
 */
import { SAMPLED_SERVICES } from '@meshmon/contracts';
import type { Comparison, Flag, PairFigures } from './comparisons.js';
import {
  formatDf,
  formatFigure,
  formatP,
  formatPercent,
  formatReading,
  formatStartedAt,
  pClause,
} from './format-figures.js';
import type {
  AgreementSummary,
  CompareReport,
  MachineFacts,
  OrchestratorStatus,
} from './report-types.js';
import type { Scenario } from './scenario.js';
import { METRICS, type MetricName } from './window-values.js';

export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column: numbers are right-aligned. */
  readonly numeric: readonly boolean[];
}

/** The suite's services in the order a reader meets them (the contracts'); the daemons last. */
const SERVICE_ORDER: readonly string[] = SAMPLED_SERVICES;
const METRIC_ORDER = Object.keys(METRICS) as MetricName[];

const rank = (order: readonly string[], name: string) => {
  const at = order.indexOf(name);
  return at === -1 ? order.length : at;
};

/** Known services in SERVICE_ORDER, unknown ones after them alphabetically; metrics as METRICS. */
export function orderedComparisons(comparisons: readonly Comparison[]): Comparison[] {
  return [...comparisons].sort(
    (a, b) =>
      rank(SERVICE_ORDER, a.service) - rank(SERVICE_ORDER, b.service) ||
      // Code-point order, not the locale's: the same report reads the same everywhere.
      (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) ||
      rank(METRIC_ORDER, a.metric) - rank(METRIC_ORDER, b.metric),
  );
}

export const reportTitle = (report: CompareReport): string =>
  `Orchestrator comparison, run ${report.run}, started ${formatStartedAt(report.startedAtMs)}`;

/** The orchestrator's own daemons (containerd, dockerd, kubelet) report as service `orchestrator`. */
export const serviceLabel = (service: string): string =>
  service === 'orchestrator' ? 'orchestrator daemons' : service;

export const comparisonTitle = (comparison: Comparison): string =>
  `${serviceLabel(comparison.service)}: ${METRICS[comparison.metric].label} (${comparison.unit})`;

const keyValues = (key: string, rows: [string, string][]): TextTable => ({
  header: [key, 'value'],
  rows,
  numeric: [false, false],
});

export function scenarioTable(scenario: Scenario): TextTable {
  const { flows, bytesPerSecond } = scenario.background;
  return keyValues('setting', [
    ['nodes', String(scenario.nodes)],
    ['algorithm', scenario.algorithm],
    ['probe', `${scenario.probeSeconds} s`],
    ['background traffic', `${flows} flow(s) of ${formatFigure(bytesPerSecond / 1000)} kB/s`],
    ['blocks per orchestrator', String(scenario.blocks)],
    ['windows per orchestrator', String(scenario.windows)],
    ['window', `${scenario.windowSeconds} s`],
    ['warm-up per block', `${scenario.warmupSeconds} s`],
  ]);
}

export function machineTable(machine: MachineFacts): TextTable {
  return keyValues('fact', [
    ['cores', String(machine.cores)],
    ['memory', `${Math.round(machine.memoryMiB)} MiB`],
    ['kernel', machine.kernel],
    ['cgroup version', machine.cgroupVersion === null ? 'none found' : `v${machine.cgroupVersion}`],
  ]);
}

export const orchestratorTable = (list: readonly OrchestratorStatus[]): TextTable => ({
  header: ['orchestrator', 'status', 'reason'],
  rows: list.map((one) => [one.name, one.status, one.reason ?? '']),
  numeric: [false, false, false],
});

export const NO_EXCLUSIVE_CGROUP =
  'No exclusive cgroup: no service had a cgroup of its own, so the self-sampler could not be checked against one.';

export const AGREEMENT_INTRO =
  "The services' self-sampler against their cgroup's own counters: |self − cgroup| / cgroup over the instance-windows. " +
  'Only windows in which the cgroup held nothing but the service at every sample count, yet the cgroup still charges ' +
  "what ran between two samples: the orchestrator's health check (a node process every 10 s in the container and " +
  'Swarm cases) and, for sensor and monitor, their iperf3 and ping. So CPU here is an upper bound of the ' +
  'disagreement; anonymous memory is not affected. The instrument alone, with nothing else in its cgroup: ' +
  '`npm run bench:sampler`.';

/** Null when no service had a cgroup of its own (say NO_EXCLUSIVE_CGROUP instead). */
export function agreementTable(list: readonly AgreementSummary[]): TextTable | null {
  if (list.length === 0) return null;
  return {
    header: ['orchestrator', 'service', 'n', 'CPU mean', 'CPU max', 'memory mean', 'memory max'],
    rows: list.map((row) => [
      row.orchestrator,
      row.service,
      String(row.n),
      formatPercent(row.cpuMeanAbsDeviation),
      formatPercent(row.cpuMaxAbsDeviation),
      formatPercent(row.memoryMeanAbsDeviation),
      formatPercent(row.memoryMaxAbsDeviation),
    ]),
    numeric: [false, false, true, true, true, true, true],
  };
}

// "to", not a dash: CIs of differences are often negative at both ends.
export const ciText = (low: number, high: number): string =>
  `${formatFigure(low)} to ${formatFigure(high)}`;

export const groupTable = (comparison: Comparison): TextTable => ({
  header: ['orchestrator', 'n', `mean (${comparison.unit})`, 'sd', '95 % CI'],
  rows: comparison.groups.map((group) => [
    group.orchestrator,
    String(group.n),
    formatFigure(group.mean),
    formatFigure(group.sd),
    ciText(group.ci95[0], group.ci95[1]),
  ]),
  numeric: [false, true, true, true, true],
});

type FTest = NonNullable<Comparison['anova']>;
const fText = (test: FTest) =>
  `F(${formatDf(test.dfBetween)}, ${formatDf(test.dfWithin)}) = ${formatFigure(test.F)}, ${pClause(test.p)}`;

/** The tests' results, one line each; none where they were not computed (the note says why). */
export function testLines(comparison: Comparison): string[] {
  const { anova, welch, levene, brownForsythe, effectSizes } = comparison;
  const lines: string[] = [];
  if (anova) lines.push(`One-way ANOVA: ${fText(anova)}`);
  if (welch) lines.push(`Welch's ANOVA: ${fText(welch)}`);
  const spread = [
    levene ? `Levene ${pClause(levene.p)}` : null,
    brownForsythe ? `Brown-Forsythe ${pClause(brownForsythe.p)}` : null,
  ].filter((text) => text !== null);
  if (spread.length > 0) lines.push(`Equal variances: ${spread.join(', ')}`);
  if (effectSizes) {
    const { etaSquared, omegaSquared } = effectSizes;
    lines.push(`Effect size: η² = ${formatFigure(etaSquared)}, ω² = ${formatFigure(omegaSquared)}`);
  }
  return lines;
}

export const pairTable = (pairs: readonly PairFigures[], unit: string): TextTable => ({
  header: ['pair', `difference (${unit})`, '95 % CI', 'adjusted p'],
  rows: pairs.map((pair) => [
    `${pair.a} − ${pair.b}`,
    formatFigure(pair.diff),
    ciText(pair.ciLower, pair.ciUpper),
    formatP(pair.pAdjusted),
  ]),
  numeric: [false, true, true, true],
});

export const flagTable = (flags: readonly Flag[], unit: string): TextTable => ({
  header: ['orchestrator', 'window', `value (${unit})`, 'rule'],
  rows: flags.map((flag) => [
    flag.orchestrator,
    String(flag.window),
    formatReading(flag.value),
    flag.rule,
  ]),
  numeric: [false, true, true, false],
});

import { ALGORITHM_NAMES, type AlgorithmName } from '@meshmon/scheduling';
import { simulate } from '@meshmon/simulation';
import {
  THESIS_FULL_COVERAGE_MINUTES,
  THESIS_MEAN_WAIT_MINUTES,
  THESIS_THEORETICAL_WAIT_MINUTES,
} from '@meshmon/analysis';

export interface ComparisonRow {
  readonly algorithm: AlgorithmName;
  readonly nodes: number;
  readonly seeds: number;
  readonly durationSeconds: number;
  /** Mean over seeds that reached full coverage; null if none did. */
  readonly fullCoverageMinutes: number | null;
  readonly seedsReachingCoverage: number;
  readonly thesisFullCoverageMinutes: number | null;
  readonly floorMinutes: number;
  readonly ratioToFloor: number | null;
  readonly meanWaitMinutes: number;
  readonly thesisMeanWaitMinutes: number | null;
  readonly theoreticalWaitMinutes: number;
  readonly pairCountStdDev: number;
  readonly conflicts: number;
}

export const THESIS_NODE_COUNTS = [4, 8, 16, 32] as const;

/**
 * Runs every algorithm at the thesis's cluster sizes over several seeds. Each run lasts at
 * least the thesis's 120 minutes, and long enough for Round Robin to finish a full cycle.
 */
export function compareWithThesis(
  seeds: number,
  eventSeconds: number,
  nodeCounts: readonly number[] = THESIS_NODE_COUNTS,
): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const nodes of nodeCounts) {
    const durationSeconds = Math.max(7200, Math.ceil(1.3 * nodes * (nodes - 1) * eventSeconds));
    for (const algorithm of ALGORITHM_NAMES) {
      const results = Array.from({ length: seeds }, (_, i) =>
        simulate({ algorithm, nodes, eventSeconds, durationSeconds, seed: i + 1 }),
      );
      const reached = results.filter((r) => r.fullCoverageSeconds !== null);
      const coverage =
        reached.length > 0 ? mean(reached.map((r) => r.fullCoverageSeconds as number)) / 60 : null;
      const floorMinutes = results[0].floorSeconds / 60;
      rows.push({
        algorithm,
        nodes,
        seeds,
        durationSeconds,
        fullCoverageMinutes: coverage,
        seedsReachingCoverage: reached.length,
        thesisFullCoverageMinutes: THESIS_FULL_COVERAGE_MINUTES[algorithm]?.(nodes) ?? null,
        floorMinutes,
        ratioToFloor: coverage === null ? null : coverage / floorMinutes,
        meanWaitMinutes: mean(results.map((r) => r.meanWaitSeconds)) / 60,
        thesisMeanWaitMinutes: THESIS_MEAN_WAIT_MINUTES[algorithm]?.(nodes) ?? null,
        theoreticalWaitMinutes: THESIS_THEORETICAL_WAIT_MINUTES(nodes),
        pairCountStdDev: mean(results.map((r) => r.pairCountStdDev)),
        conflicts: results.reduce((sum, r) => sum + r.conflicts, 0),
      });
    }
  }
  return rows;
}

export function formatComparison(rows: readonly ComparisonRow[]): string {
  const header = [
    'N',
    'algorithm',
    'coverage min',
    'thesis min',
    'floor min',
    'x floor',
    'wait min',
    'thesis wait',
    'theor. wait',
    'fairness sd',
    'conflicts',
  ];
  const fmt = (value: number | null, digits = 1): string =>
    value === null ? '-' : value.toFixed(digits);
  const lines = rows.map((row) => [
    String(row.nodes),
    row.algorithm,
    row.seedsReachingCoverage < row.seeds
      ? `${fmt(row.fullCoverageMinutes)} (${row.seedsReachingCoverage}/${row.seeds})`
      : fmt(row.fullCoverageMinutes),
    fmt(row.thesisFullCoverageMinutes),
    fmt(row.floorMinutes),
    fmt(row.ratioToFloor, 2),
    fmt(row.meanWaitMinutes, 2),
    fmt(row.thesisMeanWaitMinutes, 2),
    fmt(row.theoreticalWaitMinutes, 2),
    fmt(row.pairCountStdDev, 2),
    String(row.conflicts),
  ]);
  return formatTable(header, lines);
}

export function formatTable(
  header: readonly string[],
  lines: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const render = (cells: readonly string[]): string =>
    cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
  return [render(header), ...lines.map(render)].join('\n');
}

const mean = (values: readonly number[]): number =>
  values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

import { formatNumber } from '../stats/text-table.js';

/**
 * How the comparison report writes numbers, once for both renderers (Markdown and HTML
 * must show the same figures, or a reader comparing them finds two truths).
 */

/** Shown where a figure could not be computed. */
const NO_FIGURE = '–';

/** Three significant digits, at least two decimals below 10 (3.04, 0.500, 12.3, 4570), no exponent. */
export function formatFigure(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NO_FIGURE;
  // Round first: 9.996 becomes 10.0, and its decimals follow the rounded size.
  const rounded = Number(value.toPrecision(3));
  if (rounded === 0) return '0.00';
  const magnitude = Math.floor(Math.log10(Math.abs(rounded)));
  // Three significant digits below 10 are always at least two decimals (5.00, 0.500).
  const decimals = Math.max(0, 2 - magnitude);
  return rounded.toFixed(Math.min(decimals, 20));
}

/**
 * A single reading as the instrument gave it (a flagged value), six significant digits
 * as the stats command writes numbers: rounded to three, 9999 MiB would read 10000.
 */
export const formatReading = (value: number): string =>
  Number.isFinite(value) ? formatNumber(value) : String(value);

/** A fraction (0.034) as a percentage ("3.40 %"). */
export const formatPercent = (fraction: number | null): string =>
  fraction === null || !Number.isFinite(fraction) ? NO_FIGURE : `${formatFigure(fraction * 100)} %`;

/** A p-value: "< 0.001" below 0.001, else three decimals. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return NO_FIGURE;
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** "p = 0.412" or "p < 0.001". */
export function pClause(p: number): string {
  const text = formatP(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

/** Degrees of freedom: whole as they are (2, 12), Welch's fractional ones as figures (7.81). */
export const formatDf = (df: number): string =>
  Number.isInteger(df) ? String(df) : formatFigure(df);

/** The run's start in UTC to the minute, so the report reads the same in every time zone. */
export function formatStartedAt(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * The charts' y axis: a range rounded out to 4-5 "nice" ticks (steps of 1, 2, 2.5 or 5
 * times a power of ten), drawn with grid lines and the metric's unit.
 */
import { markup, type SafeHtml } from './escape.js';

/** Where a chart draws its data, in the SVG's user units. */
export interface Plot {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface Scale {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  /** Decimals every tick label needs (a step of 0.25 needs 2). */
  readonly decimals: number;
}

const MANTISSAS = [1, 2, 2.5, 5];
// Float noise (0.1 * 3 = 0.30000000000000004) off the ticks.
const clean = (value: number) => Number(value.toPrecision(12));

function decimalsOf(step: number): number {
  for (let decimals = 0; decimals < 12; decimals += 1) {
    const scaled = step * 10 ** decimals;
    if (scaled >= 0.5 && Math.abs(scaled - Math.round(scaled)) < 1e-6 * scaled) return decimals;
  }
  return 12;
}

/**
 * Ticks covering [low, high], 4 or 5 of them. Values that cannot be negative (all the
 * report's metrics) keep the axis at or above zero; equal values get a range around them.
 */
export function niceScale(low: number, high: number): Scale {
  const nonNegative = low >= 0;
  // A range this narrow is one value to the eye (and below float precision for the steps).
  if (!(high - low > 1e-6 * Math.max(1, Math.abs(low), Math.abs(high)))) {
    const pad = Math.abs(low) > 1e-5 ? Math.abs(low) * 0.1 : 1;
    [low, high] = [nonNegative ? Math.max(0, low - pad) : low - pad, high + pad];
  }
  const power = 10 ** Math.floor(Math.log10((high - low) / 4));
  const steps = [power / 10, power, power * 10].flatMap((p) => MANTISSAS.map((m) => m * p));
  const step = steps.find((s) => Math.ceil(high / s) - Math.floor(low / s) + 1 <= 5)!;
  // The smallest step giving at most 5 ticks gives at least 4: the next smaller one is at
  // most 2.5 times finer, and already gave 6 or more.
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => clean((first + i) * step));
  return { min: ticks[0], max: ticks[ticks.length - 1], ticks, decimals: decimalsOf(step) };
}

/** A coordinate to a tenth of a unit: finer only bloats the file. */
export const px = (value: number): number => Number(value.toFixed(1));

/** The SVG y coordinate of a value. */
export const yOf = (scale: Scale, plot: Plot) => (value: number) =>
  px(plot.top + plot.height - ((value - scale.min) / (scale.max - scale.min)) * plot.height);

/** Grid lines, tick labels and the unit, rotated, left of the plot. */
export function yAxis(scale: Scale, plot: Plot, unit: string): SafeHtml {
  const y = yOf(scale, plot);
  const right = plot.left + plot.width;
  const middle = plot.top + plot.height / 2;
  const ticks = scale.ticks.map(
    (tick) =>
      markup`<line class="grid" x1="${plot.left}" x2="${right}" y1="${y(tick)}" y2="${y(tick)}"/><text class="tick" x="${plot.left - 6}" y="${y(tick)}" text-anchor="end" dominant-baseline="middle">${tick.toFixed(scale.decimals)}</text>\n`,
  );
  return markup`<g class="axis">
${ticks}<text class="unit" transform="translate(14 ${middle}) rotate(-90)" text-anchor="middle">${unit}</text>
</g>`;
}

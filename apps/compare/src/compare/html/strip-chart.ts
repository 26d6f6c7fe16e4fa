/**
 * One comparison as a strip chart: per orchestrator every window's value as a dot, the
 * mean as a horizontal bar and its 95 % CI as a whisker, so a reader sees the spread the
 * tests weigh, not only the means.
 */
import type { Comparison, GroupFigures } from '../comparisons.js';
import { formatFigure, formatReading } from '../format-figures.js';
import { ciText, comparisonTitle } from '../report-tables.js';
import { niceScale, px, yAxis, yOf, type Plot } from './axis.js';
import { markup, type SafeHtml } from './escape.js';
import { colourOf } from './palette.js';

const WIDTH = 520;
const HEIGHT = 240;
const PLOT: Plot = { left: 64, top: 12, width: WIDTH - 64 - 16, height: HEIGHT - 12 - 40 };
const INK = '#222';

/**
 * Deterministic jitter in [-0.5, 0.5) from a value's position: multiples of the golden
 * ratio spread neighbouring windows apart, and the same report draws the same picture.
 */
const jitter = (index: number): number => ((index * 0.6180339887) % 1) - 0.5;

const meanText = (group: GroupFigures, unit: string) =>
  `${group.orchestrator} mean ${formatFigure(group.mean)} ${unit}, 95 % CI ${ciText(...group.ci95)}`;

function ariaLabel(comparison: Comparison): string {
  const groups = comparison.groups.map((group) => meanText(group, comparison.unit));
  return `${comparisonTitle(comparison)}. ${groups.join('; ') || 'No values.'}`;
}

function groupMarks(
  group: GroupFigures,
  centre: number,
  y: (value: number) => number,
  unit: string,
) {
  const colour = colourOf(group.orchestrator);
  // Dots left of the centre, the whisker right of it, the mean bar across both.
  const dots = group.values.map(
    (value, index) =>
      markup`<circle class="dot" cx="${px(centre - 12 + jitter(index) * 36)}" cy="${y(value)}" r="3.5" fill="${colour}"><title>${group.orchestrator}: ${formatReading(value)} ${unit}</title></circle>`,
  );
  const [low, high] = group.ci95.map(y);
  const x = px(centre + 22);
  const [left, right] = [px(centre - 36), px(centre + 30)];
  const mean = y(group.mean);
  return markup`<g class="group" data-orchestrator="${group.orchestrator}">${dots}
<path class="ci" d="M${px(x - 5)} ${low}H${px(x + 5)}M${x} ${low}V${high}M${px(x - 5)} ${high}H${px(x + 5)}" stroke="${INK}" fill="none"/>
<line class="mean" x1="${left}" x2="${right}" y1="${mean}" y2="${mean}" stroke="${INK}" stroke-width="3"><title>${meanText(group, unit)}</title></line>
</g>
`;
}

export function stripChart(comparison: Comparison): SafeHtml {
  const { groups, unit } = comparison;
  const svg = (body: SafeHtml | SafeHtml[]) =>
    markup`<svg class="chart" role="img" aria-label="${ariaLabel(comparison)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">
${body}</svg>`;
  if (groups.length === 0) {
    return svg(
      markup`<text class="empty" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">No orchestrator has two values to show.</text>\n`,
    );
  }
  const shown = groups.flatMap((group) => [...group.values, ...group.ci95]);
  const scale = niceScale(Math.min(...shown), Math.max(...shown));
  const y = yOf(scale, PLOT);
  const band = PLOT.width / groups.length;
  const centreOf = (index: number) => px(PLOT.left + band * (index + 0.5));
  const names = groups.map(
    (group, index) =>
      markup`<text class="name" x="${centreOf(index)}" y="${PLOT.top + PLOT.height + 22}" text-anchor="middle">${group.orchestrator}</text>\n`,
  );
  return svg([
    yAxis(scale, PLOT, unit),
    ...groups.map((group, index) => groupMarks(group, centreOf(index), y, unit)),
    ...names,
  ]);
}

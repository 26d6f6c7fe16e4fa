/**
 * The summary near the top: mean CPU per service, one bar per orchestrator, so the
 * orchestrator's own daemons (service `orchestrator`) stand beside the suite's services
 * and the reader sees what each deployment costs before any test.
 */
import type { Comparison } from '../comparisons.js';
import { formatFigure } from '../format-figures.js';
import { ciText, orderedComparisons, serviceLabel } from '../report-tables.js';
import { METRICS } from '../window-values.js';
import { niceScale, px, yAxis, yOf, type Plot } from './axis.js';
import { markup, type SafeHtml } from './escape.js';
import { colourOf } from './palette.js';

const METRIC = 'cpuPercent';
const UNIT = METRICS[METRIC].unit;
const BAR = 20;
const HEIGHT = 260;
const TOP = 36;
const BOTTOM = 40;
const LEFT = 64;
const RIGHT = 16;
// Wide enough for "orchestrator daemons" under a group of few bars.
const MIN_GROUP = 136;

// Roughly 7 units per character at the chart's 12px: enough to keep legend entries apart.
const legendStep = (name: string) => 18 + name.length * 7 + 18;

function legend(names: readonly string[]): SafeHtml[] {
  let x = LEFT;
  return names.map((name) => {
    const entry = markup`<rect x="${x}" y="8" width="12" height="12" fill="${colourOf(name)}"/><text class="name" x="${x + 18}" y="18">${name}</text>`;
    x += legendStep(name);
    return entry;
  });
}

function ariaLabel(cpu: readonly Comparison[]): string {
  const services = cpu.map((comparison) => {
    const means = comparison.groups.map((g) => `${g.orchestrator} ${formatFigure(g.mean)}`);
    return `${serviceLabel(comparison.service)}: ${means.join(', ') || 'no values'}`;
  });
  return `Mean CPU (${UNIT}) per service and orchestrator. ${services.join('; ') || 'No CPU values.'}`;
}

/**
 * `orchestrators` fixes each one's slot within every service, so the same colour sits in
 * the same place throughout and a missing group (no daemons for `process`) shows as a gap.
 */
export function overviewChart(
  comparisons: readonly Comparison[],
  orchestrators: readonly string[],
): SafeHtml {
  const cpu = orderedComparisons(comparisons).filter((c) => c.metric === METRIC);
  const present = new Set(cpu.flatMap((c) => c.groups.map((group) => group.orchestrator)));
  const slots = [
    ...orchestrators.filter((name) => present.has(name)),
    ...[...present].filter((name) => !orchestrators.includes(name)),
  ];
  const groupWidth = Math.max(slots.length * BAR + 32, MIN_GROUP);
  const legendWidth = slots.reduce((sum, name) => sum + legendStep(name), 0);
  const width = LEFT + Math.max(Math.max(cpu.length, 1) * groupWidth, legendWidth) + RIGHT;
  const plot: Plot = {
    left: LEFT,
    top: TOP,
    width: width - LEFT - RIGHT,
    height: HEIGHT - TOP - BOTTOM,
  };
  const scale = niceScale(0, Math.max(0, ...cpu.flatMap((c) => c.groups.map((g) => g.mean))));
  const y = yOf(scale, plot);

  const services = cpu.map((comparison, index) => {
    const centre = px(LEFT + groupWidth * (index + 0.5));
    const firstBar = centre - (slots.length * BAR) / 2;
    const bars = comparison.groups.map((group) => {
      const x = px(firstBar + slots.indexOf(group.orchestrator) * BAR + 1);
      const top = y(group.mean);
      return markup`<rect class="bar" data-service="${comparison.service}" data-orchestrator="${group.orchestrator}" x="${x}" y="${top}" width="${BAR - 2}" height="${px(y(scale.min) - top)}" fill="${colourOf(group.orchestrator)}"><title>${serviceLabel(comparison.service)}, ${group.orchestrator}: mean ${formatFigure(group.mean)} ${UNIT}, 95 % CI ${ciText(...group.ci95)}</title></rect>`;
    });
    return markup`<g class="service" data-service="${comparison.service}">${bars}<text class="name" x="${centre}" y="${HEIGHT - BOTTOM + 22}" text-anchor="middle">${serviceLabel(comparison.service)}</text></g>\n`;
  });
  return markup`<svg id="overview" class="chart" role="img" aria-label="${ariaLabel(cpu)}" viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}">
${yAxis(scale, plot, UNIT)}${services}${legend(slots)}
</svg>`;
}

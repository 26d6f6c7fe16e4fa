// Coverage over time as a small inline SVG step chart: coverage only changes when a pair
// is measured for the first time, so a step line shows it more honestly than a slope.
/* global document */
import { clock, percent } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const HEIGHT = 180;
const PAD = { left: 44, right: 12, top: 10, bottom: 26 };

const svgEl = (tag, attributes = {}, text) => {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
};

/**
 * Draws `history` ([{ atMs, coverage }], coverage 0..1) into `container`, extended to
 * `nowMs` at the last value so a run that stalls shows as a flat line up to now.
 */
export function renderCoverageChart(container, history, nowMs = Date.now()) {
  const points = (Array.isArray(history) ? history : [])
    .filter((p) => Number.isFinite(p.atMs) && Number.isFinite(p.coverage))
    .sort((a, b) => a.atMs - b.atMs);
  if (points.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'No coverage yet: no node has reported.';
    container.replaceChildren(empty);
    return;
  }
  const last = points[points.length - 1];
  const fromMs = points[0].atMs;
  const toMs = Math.max(nowMs, last.atMs, fromMs + 1000);
  const x = (atMs) =>
    PAD.left + ((atMs - fromMs) / (toMs - fromMs)) * (WIDTH - PAD.left - PAD.right);
  const y = (coverage) => PAD.top + (1 - coverage) * (HEIGHT - PAD.top - PAD.bottom);

  const svg = svgEl('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-labelledby': 'coverage-chart-title',
    class: 'coverage-svg',
  });
  svg.append(
    svgEl(
      'title',
      { id: 'coverage-chart-title' },
      `Coverage over time, now ${percent(last.coverage)}`,
    ),
  );

  for (const tick of [0, 0.5, 1]) {
    svg.append(
      svgEl('line', {
        x1: PAD.left,
        x2: WIDTH - PAD.right,
        y1: y(tick),
        y2: y(tick),
        class: 'gridline',
      }),
      svgEl(
        'text',
        { x: PAD.left - 6, y: y(tick) + 4, class: 'tick', 'text-anchor': 'end' },
        `${tick * 100} %`,
      ),
    );
  }
  svg.append(
    svgEl('text', { x: PAD.left, y: HEIGHT - 6, class: 'tick' }, clock(fromMs)),
    svgEl(
      'text',
      { x: WIDTH - PAD.right, y: HEIGHT - 6, class: 'tick', 'text-anchor': 'end' },
      clock(toMs),
    ),
  );

  // Step after each point: horizontal to the next time, then vertical to its value.
  let path = `M ${x(points[0].atMs)} ${y(points[0].coverage)}`;
  for (let i = 1; i < points.length; i++) {
    path += ` H ${x(points[i].atMs)} V ${y(points[i].coverage)}`;
  }
  path += ` H ${x(toMs)}`;
  svg.append(svgEl('path', { d: path, class: 'coverage-line' }));
  svg.append(
    svgEl('circle', { cx: x(last.atMs), cy: y(last.coverage), r: 3, class: 'coverage-dot' }),
  );
  container.replaceChildren(svg);
}

// A matrix of monitor rows by sensor columns as a plain <table>: readable by screen
// readers, inspectable by the browser test (every cell has data-monitor, data-sensor,
// data-state and data-value), and cheap to patch one cell at a time on a live result.
/* global document, CSS */
import { colourAt, gradientCss, scaleFor, textColourAt } from './colour-scale.js';
import { clock } from './format.js';
import { pairKey } from './model.js';

// As long as the `flash` animation in dashboard.css.
const FLASH_MS = 1200;

const el = (tag, attributes = {}, text) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
};

export class Heatmap {
  /**
   * @param options.metric 'throughput' | 'rtt'
   * @param options.valueOf pair -> number | null, in the unit the scale works in
   * @param options.format number -> the text shown in the cell
   * @param options.unit shown in tooltips and the legend
   */
  constructor(container, legend, options) {
    this.container = container;
    this.legend = legend;
    this.options = options;
    this.scale = scaleFor(options.metric, []);
    this.axis = '';
    /** pairKey -> when its cell last flashed, so a full render right after keeps the flash. */
    this.flashedAt = new Map();
  }

  /** Rebuilds the whole table (new nodes, new scale, periodic refresh). */
  render(model) {
    const names = model.nodeNames();
    const values = [...model.pairs.values()].map(this.options.valueOf);
    this.scale = scaleFor(this.options.metric, values);
    this.axis = names.join(',');
    const inFlight = model.inFlightKeys();

    if (names.length === 0) {
      this.container.replaceChildren(el('p', { class: 'empty' }, 'No nodes seen yet.'));
      this.#renderLegend();
      return;
    }
    const table = el('table', { class: 'matrix' });
    table.append(
      el(
        'caption',
        { class: 'visually-hidden' },
        `${this.options.label}: rows are monitors, columns sensors`,
      ),
    );
    const head = el('tr');
    head.append(el('th', { scope: 'col', class: 'corner' }, 'monitor \\ sensor'));
    for (const sensor of names) head.append(el('th', { scope: 'col' }, sensor));
    table.appendChild(el('thead')).append(head);
    const body = table.appendChild(el('tbody'));
    for (const monitor of names) {
      const row = body.appendChild(el('tr'));
      row.append(el('th', { scope: 'row' }, monitor));
      for (const sensor of names) {
        const cell = row.appendChild(el('td', { 'data-monitor': monitor, 'data-sensor': sensor }));
        const key = pairKey(monitor, sensor);
        this.#paint(cell, monitor, sensor, model.pairs.get(key), inFlight.has(key));
        if (Date.now() - (this.flashedAt.get(key) ?? 0) < FLASH_MS) cell.classList.add('flash');
      }
    }
    this.container.replaceChildren(table);
    this.#renderLegend();
  }

  /**
   * One pair changed (a live result or a grant): repaint its cell and flash it. Falls back
   * to a full render when the cell is missing (a node the table has not seen) or the
   * value falls outside the scale, because then every other colour would be wrong too.
   */
  update(model, monitor, sensor, { flash = false } = {}) {
    const key = pairKey(monitor, sensor);
    const pair = model.pairs.get(key);
    const value = pair ? this.options.valueOf(pair) : null;
    const { min, max } = this.scale;
    const outside = Number.isFinite(value) && (min === null || value < min || value > max);
    let cell = this.#cell(monitor, sensor);
    if (!cell || outside || model.nodeNames().join(',') !== this.axis) {
      this.render(model);
      cell = this.#cell(monitor, sensor);
    } else {
      this.#paint(cell, monitor, sensor, pair, model.inFlightKeys().has(key));
    }
    if (flash) this.flashedAt.set(key, Date.now());
    if (cell && flash) {
      // Restarting a CSS animation needs the class removed and a reflow in between.
      cell.classList.remove('flash');
      void cell.offsetWidth;
      cell.classList.add('flash');
    }
  }

  #cell(monitor, sensor) {
    const selector = `td[data-monitor="${CSS.escape(monitor)}"][data-sensor="${CSS.escape(sensor)}"]`;
    return this.container.querySelector(selector);
  }

  #paint(cell, monitor, sensor, pair, inFlight) {
    const { unit } = this.options;
    const value = pair ? this.options.valueOf(pair) : null;
    const measured = Number.isFinite(value);
    let state = 'never';
    if (monitor === sensor) state = 'self';
    else if (pair && !pair.inScope) state = 'out-of-scope';
    else if (measured) state = 'measured';
    cell.dataset.state = state;
    cell.classList.toggle('in-flight', inFlight);
    cell.classList.toggle('failed', Boolean(pair?.failure));
    cell.style.background = '';
    cell.style.color = '';
    if (measured) {
      cell.dataset.value = String(value);
    } else {
      delete cell.dataset.value;
    }
    if (pair?.measurementId) cell.dataset.measurementId = pair.measurementId;
    else delete cell.dataset.measurementId;

    cell.textContent = measured ? this.options.format(value) : '';
    if (state === 'measured') {
      const t = this.scale.t(value);
      cell.style.background = colourAt(t);
      cell.style.color = textColourAt(t);
    }
    const lines = [`${monitor} → ${sensor}`];
    if (state === 'self') lines.push('a node does not measure itself');
    else if (state === 'out-of-scope') lines.push('not in scope');
    if (measured) {
      lines.push(`${this.options.format(value)} ${unit}, measured ${clock(pair.atMs)}`);
      lines.push(`${pair.count} measurement${pair.count === 1 ? '' : 's'}`);
    } else if (state === 'never') {
      lines.push('never measured');
    }
    if (pair?.failure)
      lines.push(`last probe failed: ${pair.failure.code} ${pair.failure.message}`);
    if (inFlight) lines.push('being measured now');
    cell.title = lines.join('\n');
  }

  #renderLegend() {
    const { min, max } = this.scale;
    const format = this.options.format;
    const worse = this.options.metric === 'throughput' ? min : max;
    const better = this.options.metric === 'throughput' ? max : min;
    const bar = el('div', { class: 'legend-scale' });
    // Set through the style object, not a style attribute: a strict CSP allows only this.
    const gradient = el('span', { class: 'legend-bar', 'aria-hidden': 'true' });
    gradient.style.background = gradientCss();
    bar.append(
      el('span', { class: 'legend-end' }, worse === null ? 'worse' : `${format(worse)} (worse)`),
      gradient,
      el(
        'span',
        { class: 'legend-end' },
        better === null ? 'better' : `${format(better)} ${this.options.unit} (better)`,
      ),
    );
    const note = this.scale.floored
      ? [
          el(
            'p',
            { class: 'legend-note', 'data-legend': 'floor' },
            `The scale spans at least ${format(this.scale.max - this.scale.min)} ${this.options.unit}: differences smaller than that are the probe's own noise and look alike.`,
          ),
        ]
      : [];
    const keys = el('ul', { class: 'legend-keys' });
    for (const [state, label] of [
      ['never', 'never measured'],
      ['out-of-scope', 'not in scope'],
      ['in-flight', 'measuring now'],
      ['failed', 'last probe failed'],
    ]) {
      const item = keys.appendChild(el('li'));
      item.append(el('span', { class: `swatch swatch-${state}`, 'aria-hidden': 'true' }), label);
    }
    this.legend.replaceChildren(bar, ...note, keys);
  }
}

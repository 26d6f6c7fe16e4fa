// Outliers as the gateway finds them (GET /api/v1/outliers): nodes and pairs whose median
// is far from the cluster's. One list per metric, with the rule the gateway applied.
/* global document */
import { decimal, ms, mbps, ratio } from './format.js';

const FORMATS = {
  throughput: { title: 'Throughput', unit: 'Mbit/s', value: mbps },
  rtt: { title: 'Round-trip time', unit: 'ms', value: ms },
};

const el = (tag, text, className) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};

/** Renders one metric's answer, or its error, into `container`. */
export function renderOutliers(container, metric, answer, error) {
  const format = FORMATS[metric];
  const heading = el('h3', format.title);
  if (error) {
    container.replaceChildren(heading, el('p', `Not available: ${error.message}`, 'error'));
    return;
  }
  const rule = el('p', `${answer.rule ?? ''} (threshold ${decimal(answer.threshold)})`, 'note');
  const items = [
    ...(answer.nodes ?? []).map((o) => ({
      what: `${o.node}${o.role ? ` (${o.role})` : ''}`,
      value: o.median,
      clusterMedian: o.clusterMedian,
      ratio: o.ratio,
    })),
    ...(answer.pairs ?? []).map((o) => ({
      what: `${o.monitor} → ${o.sensor}`,
      value: o.value,
      clusterMedian: o.clusterMedian,
      ratio: o.ratio,
    })),
  ];
  if (items.length === 0) {
    container.replaceChildren(heading, rule, el('p', 'No outliers.', 'empty'));
    return;
  }
  const list = el('ul', undefined, 'outlier-list');
  for (const item of items) {
    const li = list.appendChild(el('li'));
    li.dataset.metric = metric;
    li.append(
      el('strong', item.what),
      ` ${format.value(item.value)} ${format.unit} against a cluster median of `,
      `${format.value(item.clusterMedian)} ${format.unit} (${ratio(item.ratio)})`,
    );
  }
  container.replaceChildren(heading, rule, list);
}

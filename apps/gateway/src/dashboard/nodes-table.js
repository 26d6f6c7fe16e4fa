// The nodes table: who is monitor or sensor now, paired with whom, and when each node
// last said anything. Rows of nodes in a measurement are highlighted.
/* global document */
import { ago, clock } from './format.js';

const SERVICE_ORDER = ['controller', 'sensor', 'monitor', 'flow-discovery'];

const cell = (text, attributes = {}) => {
  const td = document.createElement('td');
  for (const [name, value] of Object.entries(attributes)) td.setAttribute(name, value);
  td.textContent = text;
  return td;
};

export function renderNodesTable(tbody, model, nowMs = Date.now()) {
  const inFlight = model.inFlightKeys(nowMs);
  // A node is busy when the gateway names a partner or a grant is still open for it.
  const busy = new Set();
  for (const node of model.nodes.values()) if (node.partner) busy.add(node.node);
  for (const key of inFlight) for (const name of key.split('\u0000')) busy.add(name);

  const rows = [...model.nodes.values()]
    .sort((a, b) => a.node.localeCompare(b.node, 'en', { numeric: true }))
    .map((node) => {
      const row = document.createElement('tr');
      row.dataset.node = node.node;
      row.classList.toggle('in-flight', busy.has(node.node));
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = node.node;
      const services = SERVICE_ORDER.filter((s) => node.services && node.services[s]).join(', ');
      row.append(
        name,
        cell(node.role ?? '–', { 'data-field': 'role', 'data-role': node.role ?? 'none' }),
        cell(node.partner ?? '–', { 'data-field': 'partner' }),
        cell(ago(node.lastSeenMs, nowMs), {
          'data-field': 'last-seen',
          title: clock(node.lastSeenMs),
        }),
        cell(services || '–', { 'data-field': 'services' }),
      );
      return row;
    });
  if (rows.length === 0) {
    const row = document.createElement('tr');
    row.append(cell('No nodes seen yet.', { colspan: '5', class: 'empty' }));
    rows.push(row);
  }
  tbody.replaceChildren(...rows);
}

import { ApiError } from '../http/api-error.js';
import type { LiveView } from './live-view.js';

/** A pair the API may act on: two different nodes the live view knows (400, then 404). */
export function requireKnownPair(view: LiveView, monitor: string, sensor: string): void {
  if (monitor === sensor) {
    throw ApiError.invalid([{ field: 'sensor', rule: 'must be a different node than monitor' }]);
  }
  for (const [field, node] of [
    ['monitor', monitor],
    ['sensor', sensor],
  ] as const) {
    if (!view.hasNode(node)) throw ApiError.notFound(field, `names no known node ("${node}")`);
  }
}

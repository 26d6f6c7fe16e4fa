import type { NodeId } from './address.js';

/**
 * Which ordered (monitor, sensor) pairs are to be measured. By default all of them; with
 * intents (by hand or from flow discovery) only the listed ones.
 */
export type PairScopeSpec =
  | { readonly mode: 'all' }
  | { readonly mode: 'pairs'; readonly pairs: readonly (readonly [NodeId, NodeId])[] };

export interface PairScope {
  includes(monitor: NodeId, sensor: NodeId): boolean;
}

export const ALL_PAIRS: PairScopeSpec = { mode: 'all' };

const pairKey = (monitor: NodeId, sensor: NodeId): string => `${monitor}\u0000${sensor}`;

export function pairScopeFrom(spec: PairScopeSpec): PairScope {
  if (spec.mode === 'all') return { includes: (monitor, sensor) => monitor !== sensor };
  const keys = new Set(spec.pairs.map(([monitor, sensor]) => pairKey(monitor, sensor)));
  return {
    includes: (monitor, sensor) => monitor !== sensor && keys.has(pairKey(monitor, sensor)),
  };
}

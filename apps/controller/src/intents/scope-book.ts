import type { NodePair } from '@meshmon/contracts';
import type { PairScopeSpec } from '@meshmon/scheduling';

/**
 * Which pairs this node's monitor measures: every pair, unless intents exist. Hand-made
 * intents are cluster-wide (the gateway's list) and any one of them switches the whole
 * cluster to intents mode, so that declaring "measure A -> B" never leaves the other
 * pairs in an unknown state; with discovery on, the cluster is in intents mode even
 * before the first flow is seen. Discovered intents are this node's own (self -> peer).
 */
export class ScopeBook {
  private manual: readonly NodePair[] = [];
  private readonly discovered = new Set<string>();

  constructor(
    private readonly self: string,
    private readonly discovery: boolean,
  ) {}

  setManual(pairs: readonly NodePair[]): void {
    this.manual = pairs;
  }

  addDiscovered(peer: string): void {
    this.discovered.add(peer);
  }

  removeDiscovered(peer: string): void {
    this.discovered.delete(peer);
  }

  scope(): PairScopeSpec {
    if (!this.discovery && this.manual.length === 0) return { mode: 'all' };
    const pairs = new Map<string, readonly [string, string]>();
    for (const [monitor, sensor] of this.manual) {
      if (monitor === this.self) pairs.set(sensor, [monitor, sensor]);
    }
    for (const peer of this.discovered) pairs.set(peer, [this.self, peer]);
    return { mode: 'pairs', pairs: [...pairs.values()] };
  }
}

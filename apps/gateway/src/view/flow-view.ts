import type { FlowMap } from '@meshmon/contracts';

/** What flow discovery last saw between two nodes' applications (node -> peer). */
export interface ObservedFlow {
  /** The node whose flow discovery reported it. */
  readonly node: string;
  readonly peer: string;
  /** Its sockets to the peer (TCP and connected UDP) and conntrack entries with it. */
  readonly tcp: number;
  readonly udp: number;
  readonly conntrack: number;
  /** When the reporting node read its flows (its clock). */
  readonly lastSeenMs: number;
  /** How often that node reports: an entry older than a few intervals is stale. */
  readonly intervalMs: number;
}

/**
 * The latest flow map of each node, as flow discovery publishes them (`flows.<node>`).
 * Passive: what the applications do, beside what Meshmon measures. Bounded like the live
 * view: at most `maxNodes` reporting nodes; an older map never replaces a newer one.
 */
export class FlowView {
  private readonly maps = new Map<string, FlowMap>();
  /** Maps from nodes beyond `maxNodes`, ignored. */
  ignored = 0;

  constructor(private readonly maxNodes = 256) {}

  apply(map: FlowMap): void {
    const known = this.maps.get(map.node);
    if (known && known.observedAtMs > map.observedAtMs) return;
    if (!known && this.maps.size >= this.maxNodes) {
      this.ignored += 1;
      return;
    }
    this.maps.set(map.node, map);
  }

  /** Every node -> peer with traffic in its node's latest map, by node then peer. */
  flows(): ObservedFlow[] {
    return [...this.maps.values()]
      .flatMap((map) =>
        map.peers
          .filter((peer) => peer.tcp + peer.udp + peer.conntrack > 0)
          .map((peer) => ({
            node: map.node,
            peer: peer.node,
            tcp: peer.tcp,
            udp: peer.udp,
            conntrack: peer.conntrack,
            lastSeenMs: map.observedAtMs,
            intervalMs: map.intervalMs,
          })),
      )
      .sort((a, b) => (a.node + '\0' + a.peer < b.node + '\0' + b.peer ? -1 : 1));
  }
}

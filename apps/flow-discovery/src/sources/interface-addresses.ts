import { networkInterfaces } from 'node:os';
import { MAX_FLOW_MAP_ADDRESSES } from '@meshmon/contracts';
import { isLoopbackAddress, normalizeAddress } from '@meshmon/discovery';

export interface NodeAddresses {
  /** Every address of this namespace plus the configured one: flows from these are ours. */
  readonly own: ReadonlySet<string>;
  /**
   * What the flow map tells the other nodes: the configured address first, then the
   * interfaces' non-loopback addresses (every node has 127.0.0.1 and ::1; publishing
   * them would make them ambiguous). Bounded by the contract's limit.
   */
  readonly published: string[];
}

/** Read on every poll: an interface may gain or lose an address while we run. */
export function nodeAddresses(configured: string | null): NodeAddresses {
  const own = new Set<string>();
  const published: string[] = [];
  if (configured !== null) {
    own.add(configured);
    published.push(configured);
  }
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      const address = normalizeAddress(entry.address);
      if (address === null) continue;
      own.add(address);
      if (entry.internal || isLoopbackAddress(address) || published.includes(address)) continue;
      if (published.length < MAX_FLOW_MAP_ADDRESSES) published.push(address);
    }
  }
  return { own, published };
}

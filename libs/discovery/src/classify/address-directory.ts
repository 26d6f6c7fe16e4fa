/**
 * Which address belongs to which Meshmon node, learnt from the other nodes' flow maps
 * (each lists its node's addresses). Clock-fed and without IO: the adapter calls
 * `update` for every valid flow map and passes `nowMs`.
 *
 * A node's entry lives for `ttlMs` after its last map (the adapter derives it from the
 * map's interval), so a node that stops publishing is forgotten and its addresses can
 * be reused. An address two live nodes both claim (a shared NAT address, a copied
 * container image with a fixed address) names neither: counting its flows as unknown
 * is better than crediting the wrong pair.
 */
import { normalizeAddress } from '../addresses/ip-address.js';

interface NodeEntry {
  readonly addresses: readonly string[];
  readonly expiresAtMs: number;
}

/** Far above any cluster Meshmon runs; bounds memory against a flood of fake nodes. */
export const MAX_DIRECTORY_NODES = 4096;

export class AddressDirectory {
  private readonly entries = new Map<string, NodeEntry>();

  /** @param self this node's name: its own maps never enter the directory. */
  constructor(private readonly self: string) {}

  /**
   * Replaces a node's addresses (invalid ones are dropped). Returns false when the
   * update was refused: the node is this one, or the directory is full.
   */
  update(node: string, addresses: readonly string[], nowMs: number, ttlMs: number): boolean {
    if (node === this.self) return false;
    this.prune(nowMs);
    if (!this.entries.has(node) && this.entries.size >= MAX_DIRECTORY_NODES) return false;
    const canonical = new Set<string>();
    for (const address of addresses) {
      const normalized = normalizeAddress(address);
      if (normalized !== null) canonical.add(normalized);
    }
    this.entries.set(node, { addresses: [...canonical], expiresAtMs: nowMs + ttlMs });
    return true;
  }

  /** Forgets nodes whose last map is older than their time to live; returns them. */
  prune(nowMs: number): string[] {
    const expired: string[] = [];
    for (const [node, entry] of this.entries) {
      if (entry.expiresAtMs <= nowMs) {
        this.entries.delete(node);
        expired.push(node);
      }
    }
    return expired;
  }

  /** The live nodes, sorted. */
  nodes(nowMs: number): string[] {
    this.prune(nowMs);
    return [...this.entries.keys()].sort();
  }

  /** Address -> node for every address exactly one live node claims. */
  snapshot(nowMs: number): Map<string, string> {
    this.prune(nowMs);
    const owners = new Map<string, string | null>();
    for (const [node, entry] of this.entries) {
      for (const address of entry.addresses) {
        // null marks an address claimed twice; it stays unmapped.
        owners.set(address, owners.has(address) ? null : node);
      }
    }
    const directory = new Map<string, string>();
    for (const [address, node] of owners) if (node !== null) directory.set(address, node);
    return directory;
  }
}

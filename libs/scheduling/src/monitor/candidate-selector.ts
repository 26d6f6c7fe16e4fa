import type { NodeId } from '../core/address.js';
import { shuffleInPlace, type RandomSource } from '../core/random.js';
import type { Millis } from '../core/time.js';
import type { PriorityBook } from './priority-book.js';

/**
 * Chooses which sensor a monitor asks next within one round. A round ends when every
 * candidate was tried (denied or timed out) or after a completed measurement, when the
 * monitor starts a fresh round ("re-sort after every event").
 */
export interface CandidateSelector {
  beginRound(candidates: readonly NodeId[], now: Millis): void;
  next(now: Millis): NodeId | null;
  markTried(sensor: NodeId): void;
}

/** CPS: highest priority first (never measured first of all). */
export class PrioritySelector implements CandidateSelector {
  private candidates = new Set<NodeId>();
  private readonly tried = new Set<NodeId>();

  constructor(private readonly book: PriorityBook) {}

  beginRound(candidates: readonly NodeId[]): void {
    this.candidates = new Set(candidates);
    this.tried.clear();
  }

  next(now: Millis): NodeId | null {
    for (const sensor of this.book.inPriorityOrder(now)) {
      if (this.candidates.has(sensor) && !this.tried.has(sensor)) return sensor;
    }
    return null;
  }

  markTried(sensor: NodeId): void {
    this.tried.add(sensor);
  }
}

/** CRS: a fresh random order every round (thesis 6.2, step 2a). */
export class RandomSelector implements CandidateSelector {
  private order: NodeId[] = [];
  private position = 0;

  constructor(private readonly random: RandomSource) {}

  beginRound(candidates: readonly NodeId[]): void {
    this.order = shuffleInPlace([...candidates], this.random);
    this.position = 0;
  }

  next(): NodeId | null {
    return this.position < this.order.length ? this.order[this.position] : null;
  }

  markTried(sensor: NodeId): void {
    if (this.order[this.position] === sensor) this.position += 1;
  }
}

/** Round Robin: every other node once, in ring order starting after this node. */
export class RingSelector implements CandidateSelector {
  private order: NodeId[] = [];
  private position = 0;

  constructor(private readonly self: NodeId) {}

  beginRound(candidates: readonly NodeId[]): void {
    const sorted = [...candidates].sort(compareNodeIds);
    const after = sorted.findIndex((node) => compareNodeIds(node, this.self) > 0);
    this.order = after < 0 ? sorted : [...sorted.slice(after), ...sorted.slice(0, after)];
    this.position = 0;
  }

  next(): NodeId | null {
    return this.position < this.order.length ? this.order[this.position] : null;
  }

  markTried(sensor: NodeId): void {
    if (this.order[this.position] === sensor) this.position += 1;
  }
}

const CHUNKS = /(\d+|\D+)/g;

/**
 * Natural order, so that n2 sorts before n10. Every node must sort the same way, so this
 * avoids locale-dependent collation.
 */
export function compareNodeIds(a: NodeId, b: NodeId): number {
  const left = a.match(CHUNKS) ?? [];
  const right = b.match(CHUNKS) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === y) continue;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    if (numeric && x.length !== y.length)
      return x.replace(/^0+/, '').length - y.replace(/^0+/, '').length || (x < y ? -1 : 1);
    return x < y ? -1 : 1;
  }
  return left.length - right.length || (a < b ? -1 : a > b ? 1 : 0);
}

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
  /** Skip this sensor, also in later rounds, until `until` (it just told us it cannot serve). */
  defer(sensor: NodeId, until: Millis): void;
  /** After `next` returned null: the earliest instant a skipped sensor may be asked again. */
  deferredUntil(): Millis | null;
}

/**
 * Sensors that recently denied, with when to ask them again. A new round (after every
 * event) would otherwise ask every node that is a monitor right now all over again: at
 * 1024 nodes that is hundreds of thousands of pointless requests a second.
 */
class Deferrals {
  private readonly until = new Map<NodeId, Millis>();

  defer(sensor: NodeId, until: Millis): void {
    this.until.set(sensor, until);
  }

  /** Earliest expiry among the deferrals met since the last reset. */
  earliest: Millis | null = null;

  isDeferred(sensor: NodeId, now: Millis): boolean {
    const until = this.until.get(sensor);
    if (until === undefined) return false;
    if (now < until) {
      if (this.earliest === null || until < this.earliest) this.earliest = until;
      return true;
    }
    this.until.delete(sensor);
    return false;
  }
}

/** CPS: highest priority first (never measured first of all). */
export class PrioritySelector implements CandidateSelector {
  private candidates = new Set<NodeId>();
  private readonly tried = new Set<NodeId>();
  private readonly deferrals = new Deferrals();
  /**
   * Walks the book once per round. Within a round the order cannot change (a measurement
   * ends the round), so a cursor replaces a scan from the front on every pick.
   */
  private cursor: Iterator<NodeId> | null = null;
  private current: NodeId | null = null;

  constructor(private readonly book: PriorityBook) {}

  private lastCandidates: readonly NodeId[] | null = null;

  beginRound(candidates: readonly NodeId[], now: Millis): void {
    if (candidates !== this.lastCandidates) {
      this.candidates = new Set(candidates);
      this.lastCandidates = candidates;
    }
    this.tried.clear();
    this.cursor = this.book.inPriorityOrder(now);
    this.current = null;
    this.deferrals.earliest = null;
  }

  deferredUntil(): Millis | null {
    return this.deferrals.earliest;
  }

  next(now: Millis): NodeId | null {
    if (this.current !== null && !this.tried.has(this.current)) return this.current;
    if (!this.cursor) return null;
    for (let step = this.cursor.next(); !step.done; step = this.cursor.next()) {
      const sensor = step.value;
      if (
        this.candidates.has(sensor) &&
        !this.tried.has(sensor) &&
        !this.deferrals.isDeferred(sensor, now)
      ) {
        this.current = sensor;
        return sensor;
      }
    }
    this.cursor = null;
    this.current = null;
    return null;
  }

  markTried(sensor: NodeId): void {
    this.tried.add(sensor);
  }

  defer(sensor: NodeId, until: Millis): void {
    this.deferrals.defer(sensor, until);
  }
}

/** CRS: a fresh random order every round (thesis 6.2, step 2a). */
export class RandomSelector implements CandidateSelector {
  private order: NodeId[] = [];
  private position = 0;
  private readonly deferrals = new Deferrals();

  constructor(private readonly random: RandomSource) {}

  beginRound(candidates: readonly NodeId[]): void {
    this.order = shuffleInPlace([...candidates], this.random);
    this.position = 0;
    this.deferrals.earliest = null;
  }

  deferredUntil(): Millis | null {
    return this.deferrals.earliest;
  }

  next(now: Millis): NodeId | null {
    while (
      this.position < this.order.length &&
      this.deferrals.isDeferred(this.order[this.position], now)
    ) {
      this.position += 1;
    }
    return this.position < this.order.length ? this.order[this.position] : null;
  }

  markTried(sensor: NodeId): void {
    if (this.order[this.position] === sensor) this.position += 1;
  }

  defer(sensor: NodeId, until: Millis): void {
    this.deferrals.defer(sensor, until);
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

  /** Round Robin asks each member once per token hold; a denial is simply the next member. */
  defer(): void {}

  deferredUntil(): null {
    return null;
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

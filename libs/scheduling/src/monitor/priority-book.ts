import type { NodeId } from '../core/address.js';
import { NEVER_MEASURED } from '../core/messages.js';
import type { Millis } from '../core/time.js';

export interface PairPriority {
  readonly sensor: NodeId;
  readonly priorityMs: number;
  readonly lastMeasuredAt: Millis | null;
  readonly overridden: boolean;
}

/**
 * One monitor's view of its sensors: when it last measured each, and any priority pinned
 * by an operator.
 *
 * Priority is "time since last measured", so ordering by priority is ordering by
 * last-measured time, oldest first, and that order does not change as the clock runs. The
 * book therefore keeps sensors in that order incrementally (a measured sensor moves to the
 * back) instead of sorting on every pick; this is what keeps a 1024-node simulation fast.
 */
export class PriorityBook {
  /** Never measured: highest priority. Insertion order is the tie-break chosen at start. */
  private readonly never = new Set<NodeId>();
  /** Measured at least once, oldest first (Map iteration follows insertion order). */
  private readonly measured = new Map<NodeId, Millis>();
  private readonly overrides = new Map<NodeId, number>();

  /** Keep exactly these sensors; new ones start as never measured, in the given order. */
  syncMembers(sensors: readonly NodeId[]): void {
    const keep = new Set(sensors);
    for (const sensor of this.never) if (!keep.has(sensor)) this.never.delete(sensor);
    for (const sensor of this.measured.keys()) if (!keep.has(sensor)) this.measured.delete(sensor);
    for (const sensor of sensors)
      if (!this.never.has(sensor) && !this.measured.has(sensor)) this.never.add(sensor);
  }

  recordMeasured(sensor: NodeId, at: Millis): void {
    if (!this.never.delete(sensor) && !this.measured.has(sensor)) return;
    this.measured.delete(sensor);
    this.measured.set(sensor, at);
  }

  /** Pin a priority (ms) for a sensor, or remove the pin with null. */
  setOverride(sensor: NodeId, priorityMs: number | null): void {
    if (priorityMs === null) this.overrides.delete(sensor);
    else this.overrides.set(sensor, priorityMs);
  }

  priorityOf(sensor: NodeId, now: Millis): number {
    const pinned = this.overrides.get(sensor);
    if (pinned !== undefined) return pinned;
    const last = this.measured.get(sensor);
    return last === undefined ? NEVER_MEASURED : now - last;
  }

  lastMeasuredAt(sensor: NodeId): Millis | null {
    return this.measured.get(sensor) ?? null;
  }

  /** Highest priority first: a lazy walk when nothing is pinned, a full sort otherwise. */
  inPriorityOrder(now: Millis): Iterator<NodeId> & Iterable<NodeId> {
    // Plain collection iterators, not a generator: this walk runs for every monitor round
    // and is the simulator's hottest loop at 1024 nodes.
    if (this.overrides.size === 0) return chain(this.never.values(), this.measured.keys());
    return this.rankedWithOverrides(now);
  }

  private *rankedWithOverrides(now: Millis): Generator<NodeId> {
    const all = [...this.never, ...this.measured.keys()];
    const ranked = all.map((sensor, rank) => ({
      sensor,
      rank,
      priority: this.priorityOf(sensor, now),
    }));
    ranked.sort((a, b) => b.priority - a.priority || a.rank - b.rank);
    for (const entry of ranked) yield entry.sensor;
  }

  snapshot(now: Millis): PairPriority[] {
    const result: PairPriority[] = [];
    for (const sensor of this.inPriorityOrder(now)) {
      result.push({
        sensor,
        priorityMs: this.priorityOf(sensor, now),
        lastMeasuredAt: this.lastMeasuredAt(sensor),
        overridden: this.overrides.has(sensor),
      });
    }
    return result;
  }
}

/** Iterates `first`, then `second`. */
function chain<T>(first: Iterator<T>, second: Iterator<T>): Iterator<T> & Iterable<T> {
  let current = first;
  const iterator = {
    next(): IteratorResult<T> {
      const step = current.next();
      if (!step.done || current === second) return step;
      current = second;
      return second.next();
    },
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}

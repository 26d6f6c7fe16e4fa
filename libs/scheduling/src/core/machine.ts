import type { Address } from './address.js';
import type { Effect } from './effects.js';
import type { SchedulerMessage } from './messages.js';
import type { Millis } from './time.js';

/**
 * The contract every scheduling state machine follows (sans-IO): it is fed messages and
 * wake-ups with the current time and answers with effects. It owns no timers: the adapter
 * calls `wake(now)` once `now >= nextWakeAt()`; an early or spurious wake is harmless.
 */
export interface SchedulerMachine {
  readonly address: Address;
  start(now: Millis): Effect[];
  receive(from: Address, message: SchedulerMessage, now: Millis): Effect[];
  wake(now: Millis): Effect[];
  nextWakeAt(): Millis | null;
}

/** Smallest of several optional deadlines. */
export function earliest(...deadlines: (Millis | null | undefined)[]): Millis | null {
  let best: Millis | null = null;
  for (const deadline of deadlines) {
    if (deadline !== null && deadline !== undefined && (best === null || deadline < best))
      best = deadline;
  }
  return best;
}

import type { SlotRef } from '../core/messages.js';

/** Orders slots of the same view: negative when `a` comes before `b`. */
export function compareSlots(a: SlotRef, b: SlotRef): number {
  return a.cycle !== b.cycle ? a.cycle - b.cycle : a.slot - b.slot;
}

export function sameSlot(a: SlotRef, b: SlotRef): boolean {
  return a.viewId === b.viewId && a.cycle === b.cycle && a.slot === b.slot;
}

/**
 * What a module does with a slot its controller assigns, given the slot it holds now and
 * the one it finished last. Assignments can arrive stale or twice (a replay, a copy the
 * controller re-sends because the module's answer was lost):
 * - `take`: a slot after both (or of another view): work on it;
 * - `keep`: the very slot it is working on: carry on, nothing restarts;
 * - `report-again`: the slot it finished last: its slot-done was lost, send it again;
 * - `ignore`: an older slot of the same view: taking it would leave the controller waiting
 *   for a slot the module no longer works on.
 */
export function assignmentVerdict(
  assigned: SlotRef,
  current: SlotRef | null,
  lastFinished: SlotRef | null,
): 'take' | 'keep' | 'report-again' | 'ignore' {
  if (current && sameSlot(assigned, current)) return 'keep';
  if (!current && lastFinished && sameSlot(assigned, lastFinished)) return 'report-again';
  const position = current ?? lastFinished;
  if (position && position.viewId === assigned.viewId && compareSlots(assigned, position) <= 0)
    return 'ignore';
  return 'take';
}

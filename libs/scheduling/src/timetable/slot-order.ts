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
 * the one it finished last. Assignments can arrive twice (the controller hands a slot out
 * again when its report is late, see TimetableController) or stale (a replay):
 * - `keep`: the very slot it is working on: carry on, nothing restarts;
 * - `report-again`: the slot it finished last: its slot-done was lost, send it again;
 * - `take`: any other slot, older ones too: a restarted controller starts its timetable
 *   from the first slot and catches up by skipping, so an older slot is not refused. A
 *   stale copy taken this way costs a slot: the controller, still waiting for the current
 *   one, hands that out again.
 */
export function assignmentVerdict(
  assigned: SlotRef,
  current: SlotRef | null,
  lastFinished: SlotRef | null,
): 'take' | 'keep' | 'report-again' {
  if (current && sameSlot(assigned, current)) return 'keep';
  if (!current && lastFinished && sameSlot(assigned, lastFinished)) return 'report-again';
  return 'take';
}

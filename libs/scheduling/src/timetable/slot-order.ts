import type { SlotRef } from '../core/messages.js';

/** Orders slots of the same view: negative when `a` comes before `b`. */
export function compareSlots(a: SlotRef, b: SlotRef): number {
  return a.cycle !== b.cycle ? a.cycle - b.cycle : a.slot - b.slot;
}

export function sameSlot(a: SlotRef, b: SlotRef): boolean {
  return a.viewId === b.viewId && a.cycle === b.cycle && a.slot === b.slot;
}

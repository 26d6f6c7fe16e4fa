import { addressOf, type Address } from '../core/address.js';
import type { SchedulerMessage, SlotOutcome, SlotRef, SlotRequest } from '../core/messages.js';
import type { Millis } from '../core/time.js';
import { assignmentVerdict, compareSlots, sameSlot } from '../timetable/slot-order.js';
import { SensorMachine, type SensorSettings } from './sensor-machine.js';

export interface TimetableSensorSettings extends SensorSettings {
  readonly slotWaitMs: Millis;
  /** Without a request for this long, offer the slot to the partner (and again as often). */
  readonly requestRetryMs: Millis;
}

interface HeldRequest {
  readonly request: SlotRequest;
  readonly heldSince: Millis;
}

/**
 * Timetable (TTS) sensor. The controller assigns one sensor slot at a time, naming the
 * partner that will measure this node. Only that partner's request for that slot is
 * granted. A partner that is ahead of this node may ask early: its request is held and
 * granted the moment this node reaches the slot, which is what lets the timetable run
 * without a shared clock. The lock rules of every sensor still apply, so a disagreement
 * about the timetable costs a skipped slot, never a conflict.
 */
export class TimetableSensor extends SensorMachine {
  private assignment: {
    slot: SlotRef;
    partner: string;
    waitUntil: Millis;
    offerAt: Millis;
  } | null = null;
  private lastFinished: SlotRef | null = null;
  private lastOutcome: SlotOutcome = 'skipped';
  private readonly held = new Map<string, HeldRequest>();

  constructor(
    node: string,
    protected override readonly settings: TimetableSensorSettings,
  ) {
    super(node, settings);
  }

  protected arbitrate(request: SlotRequest, now: Millis): void {
    const assignment = this.assignment;
    if (assignment && request.slot && sameSlot(request.slot, assignment.slot)) {
      if (request.monitor === assignment.partner) return this.grant(request, now);
      return this.deny(request, 'not-expected');
    }
    this.holdOrDeny(request, now);
  }

  protected override onRequestWhileInactive(request: SlotRequest, now: Millis): void {
    this.holdOrDeny(request, now);
  }

  /** The next slot's partner may ask while this slot's event still runs: hold, do not refuse. */
  protected override onRequestWhileLocked(request: SlotRequest, now: Millis): void {
    this.holdOrDeny(request, now);
  }

  protected override onOtherMessage(from: Address, message: SchedulerMessage, now: Millis): void {
    if (message.type === 'slot-passed') return this.onSlotPassed(message.monitor, message.slot);
    if (message.type !== 'slot-assign' || from.node !== this.node) return;
    const verdict = assignmentVerdict(
      message.slot,
      this.assignment?.slot ?? null,
      this.lastFinished,
    );
    if (verdict === 'report-again') return this.reportDone(this.lastFinished!, this.lastOutcome);
    if (verdict !== 'take') return;
    this.assignment = {
      slot: message.slot,
      partner: message.partner,
      waitUntil: now + this.settings.slotWaitMs,
      offerAt: now + this.settings.requestRetryMs,
    };
    this.active = true;
    this.denyPassedHeld(now);
    for (const [requestId, held] of this.held) {
      if (
        held.request.slot &&
        sameSlot(held.request.slot, message.slot) &&
        held.request.monitor === message.partner
      ) {
        this.held.delete(requestId);
        this.grant(held.request, now);
        break;
      }
    }
  }

  /** A lock that lapsed means the monitor vanished mid-event: the slot was not measured. */
  protected override onFreeAgain(_now: Millis, why: 'released' | 'expired'): void {
    this.finishSlot(why === 'released' ? 'measured' : 'timeout');
  }

  protected override onWake(now: Millis): void {
    const assignment = this.assignment;
    if (assignment && !this.lock && now >= assignment.waitUntil) this.finishSlot('timeout');
    else if (assignment && !this.lock && now >= assignment.offerAt) {
      assignment.offerAt = now + this.settings.requestRetryMs;
      this.out.push({
        kind: 'send',
        to: addressOf(assignment.partner, 'monitor'),
        message: { type: 'slot-offer', sensor: this.node, slot: assignment.slot },
      });
    }
    for (const [requestId, held] of this.held) {
      // Same expression as in policyWakeAt, so a wake at that instant always clears it.
      if (now >= held.heldSince + this.settings.slotWaitMs) {
        this.held.delete(requestId);
        this.deny(held.request, 'not-expected');
      }
    }
  }

  protected override policyWakeAt(): Millis | null {
    let wakeAt: Millis | null =
      this.assignment && !this.lock
        ? Math.min(this.assignment.waitUntil, this.assignment.offerAt)
        : null;
    for (const held of this.held.values()) {
      const expiry = held.heldSince + this.settings.slotWaitMs;
      if (wakeAt === null || expiry < wakeAt) wakeAt = expiry;
    }
    return wakeAt;
  }

  /** The partner is already past this slot: nobody will come, move on now. */
  private onSlotPassed(monitor: string, slot: SlotRef): void {
    const assignment = this.assignment;
    if (
      !assignment ||
      this.lock ||
      assignment.partner !== monitor ||
      !sameSlot(assignment.slot, slot)
    )
      return;
    this.finishSlot('skipped');
  }

  private finishSlot(outcome: SlotOutcome): void {
    const assignment = this.assignment;
    if (!assignment) return;
    this.assignment = null;
    this.active = false;
    this.lastFinished = assignment.slot;
    this.lastOutcome = outcome;
    this.reportDone(assignment.slot, outcome);
  }

  private reportDone(slot: SlotRef, outcome: SlotOutcome): void {
    this.out.push({
      kind: 'send',
      to: addressOf(this.node, 'controller'),
      message: { type: 'slot-done', module: 'sensor', slot, outcome },
    });
  }

  /** A request for a slot this node has not reached yet (or of a view it may adopt) waits. */
  private holdOrDeny(request: SlotRequest, now: Millis): void {
    const position = this.assignment?.slot ?? this.lastFinished;
    if (!request.slot) return this.deny(request, 'not-expected');
    if (
      position &&
      request.slot.viewId === position.viewId &&
      compareSlots(request.slot, position) <= 0
    ) {
      return this.deny(request, 'slot-passed');
    }
    // Keep the newest copy: its send time is the monitor's bound on when a grant can start.
    const heldSince = this.held.get(request.requestId)?.heldSince ?? now;
    this.held.set(request.requestId, { request, heldSince });
  }

  private denyPassedHeld(_now: Millis): void {
    const position = this.assignment?.slot;
    if (!position) return;
    for (const [requestId, held] of this.held) {
      const slot = held.request.slot;
      if (slot && slot.viewId === position.viewId && compareSlots(slot, position) < 0) {
        this.held.delete(requestId);
        this.deny(held.request, 'slot-passed');
      }
    }
  }
}

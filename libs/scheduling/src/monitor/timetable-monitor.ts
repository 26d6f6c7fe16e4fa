import type { Address, NodeId } from '../core/address.js';
import { addressOf } from '../core/address.js';
import { send } from '../core/effects.js';
import type { SchedulerMessage, SlotOutcome, SlotRef } from '../core/messages.js';
import type { Millis } from '../core/time.js';
import { assignmentVerdict, compareSlots, sameSlot } from '../timetable/slot-order.js';
import { MonitorMachine } from './monitor-machine.js';

export interface TimetableMonitorSettings {
  readonly slotWaitMs: Millis;
  readonly requestRetryMs: Millis;
}

/**
 * Timetable (TTS) monitor: the controller assigns one monitor slot at a time with the
 * partner to measure. The request is re-sent until the partner answers (it may still be
 * busy with its previous slot and hold the request) or the slot wait runs out.
 */
export class TimetableMonitor extends MonitorMachine {
  private slot: { ref: SlotRef; partner: NodeId; giveUpAt: Millis; resendAt: Millis } | null = null;
  private lastFinished: SlotRef | null = null;
  private lastOutcome: SlotOutcome = 'skipped';

  constructor(
    node: NodeId,
    initialMembers: readonly NodeId[],
    initialOrder: (members: NodeId[]) => NodeId[],
    private readonly settings: TimetableMonitorSettings,
  ) {
    super(node, initialMembers, initialOrder);
  }

  protected override onOtherMessage(from: Address, message: SchedulerMessage, now: Millis): void {
    if (message.type === 'slot-offer') return this.onOffer(message.sensor, message.slot, now);
    if (message.type !== 'slot-assign' || from.node !== this.node) return;
    const verdict = assignmentVerdict(message.slot, this.slot?.ref ?? null, this.lastFinished);
    if (verdict === 'report-again') return this.reportDone(this.lastFinished!, this.lastOutcome);
    if (verdict !== 'take') return;
    this.slot = {
      ref: message.slot,
      partner: message.partner,
      giveUpAt: now + this.settings.slotWaitMs,
      resendAt: now + this.settings.requestRetryMs,
    };
    this.sendRequest(message.partner, now, message.slot);
  }

  protected onDenied(_sensor: NodeId, _deny: unknown, _now: Millis): void {
    this.finish('skipped');
  }

  protected onProbeDone(_sensor: NodeId, ok: boolean): void {
    this.finish(ok ? 'measured' : 'skipped');
  }

  protected mayMeasure(): boolean {
    return this.slot !== null;
  }

  protected onWake(now: Millis): void {
    const slot = this.slot;
    if (!slot || !this.pending) return;
    if (now >= slot.giveUpAt) {
      this.timeoutPending();
      this.finish('timeout');
    } else if (now >= slot.resendAt) {
      slot.resendAt = now + this.settings.requestRetryMs;
      this.resendRequest(now);
    }
  }

  protected policyWakeAt(): Millis | null {
    if (!this.slot || !this.pending) return null;
    return Math.min(this.slot.giveUpAt, this.slot.resendAt);
  }

  /**
   * A partner sensor waits in a slot for us. Already past it: tell it so. Still asking for
   * it: ask again now (our request or its answer was lost).
   */
  private onOffer(sensor: NodeId, offered: SlotRef, now: Millis): void {
    if (this.slot && this.pending && sameSlot(this.slot.ref, offered))
      return this.resendRequest(now);
    const position = this.slot?.ref ?? this.lastFinished;
    const passed =
      position !== null &&
      position.viewId === offered.viewId &&
      (this.slot ? compareSlots(offered, position) < 0 : compareSlots(offered, position) <= 0);
    if (!passed) return;
    this.out.push(
      send(addressOf(sensor, 'sensor'), { type: 'slot-passed', monitor: this.node, slot: offered }),
    );
  }

  private finish(outcome: SlotOutcome): void {
    const slot = this.slot;
    if (!slot) return;
    this.slot = null;
    this.lastFinished = slot.ref;
    this.lastOutcome = outcome;
    this.reportDone(slot.ref, outcome);
  }

  private reportDone(slot: SlotRef, outcome: SlotOutcome): void {
    this.out.push(
      send(addressOf(this.node, 'controller'), {
        type: 'slot-done',
        module: 'monitor',
        slot,
        outcome,
      }),
    );
  }
}

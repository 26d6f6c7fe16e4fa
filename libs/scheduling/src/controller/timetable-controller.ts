import { addressOf, type Address } from '../core/address.js';
import { send } from '../core/effects.js';
import type { IntentsUpdate, SchedulerMessage, SlotRef } from '../core/messages.js';
import { ALL_PAIRS, pairScopeFrom, type PairScope } from '../core/pair-scope.js';
import type { Millis } from '../core/time.js';
import { Tournament } from '../timetable/tournament.js';
import { ControllerMachine, type ControllerOptions } from './controller-machine.js';

/**
 * Controller of Timetable Scheduling (TTS), Meshmon's own algorithm.
 *
 * Every node derives the same round-robin tournament from the shared membership view and
 * walks through its slots in order, one at a time: in each slot it is either the monitor
 * or the sensor of exactly one partner (or has a bye). It hands the slot to its monitor or
 * sensor module and moves on when that module reports the slot done. There is no clock
 * and no coordinator: a pair starts its event when both partners have reached the slot,
 * so the timetable stretches around slow events instead of breaking.
 *
 * A membership change takes effect after the current slot: the node restarts the
 * timetable of the new view from its first slot. Nodes that briefly disagree on the view
 * skip the slots they cannot agree on (the sensor lock rules still hold, so that costs
 * coverage, never a conflict) and meet again once the views converge.
 */
export class TimetableController extends ControllerMachine {
  private tournament!: Tournament;
  private viewId = '';
  private cycle = 0;
  private slot = 0;
  private current: {
    ref: SlotRef;
    module: 'monitor' | 'sensor';
    partner: string;
    /** When to hand the slot again if the module has not reported it done by then. */
    reassignAt: Millis;
  } | null = null;
  private viewStale = false;
  private scope: PairScope = pairScopeFrom(ALL_PAIRS);
  private idleUntil: Millis | null = null;

  constructor(options: ControllerOptions) {
    super(options);
  }

  /** The slot in progress, for tests and status pages. */
  get position(): { viewId: string; cycle: number; slot: number } {
    return { viewId: this.viewId, cycle: this.cycle, slot: this.slot };
  }

  protected onStart(now: Millis): void {
    this.adoptView();
    this.assignNext(now);
  }

  protected override onMembersChanged(now: Millis): void {
    this.viewStale = true;
    if (!this.current) {
      this.idleUntil = null;
      this.adoptView();
      this.assignNext(now);
    }
  }

  /**
   * A module that (re)started missed the slot it was handed: hand it again, or the node
   * would wait out every slot of the cycle (its partners' requests denied as unexpected).
   */
  protected override onModuleReady(module: 'sensor' | 'monitor', now: Millis): void {
    if (this.current?.module !== module) return;
    this.handOut(now);
  }

  protected override onIntents(message: IntentsUpdate): void {
    this.scope = pairScopeFrom(message.scope);
  }

  protected override onOtherMessage(from: Address, message: SchedulerMessage, now: Millis): void {
    if (message.type !== 'slot-done' || from.node !== this.node || !this.current) return;
    const ref = this.current.ref;
    if (
      message.module !== this.current.module ||
      message.slot.slot !== ref.slot ||
      message.slot.cycle !== ref.cycle ||
      message.slot.viewId !== ref.viewId
    ) {
      return;
    }
    this.current = null;
    this.advance();
    this.assignNext(now);
  }

  protected override onWake(now: Millis): void {
    // A module reports every slot within its wait and one lock; past that, the assignment
    // or the report was lost, or a stale copy of an older assignment reached the module:
    // hand the slot again (a module ignores a copy of what it already works on).
    if (this.current && now >= this.current.reassignAt) this.handOut(now);
    if (this.idleUntil !== null && now >= this.idleUntil) {
      this.idleUntil = null;
      // A slot may have been assigned meanwhile (membership or intents changed): keep it.
      if (!this.current) this.assignNext(now);
    }
  }

  protected override policyWakeAt(): Millis | null {
    const reassignAt = this.current?.reassignAt ?? null;
    if (reassignAt === null) return this.idleUntil;
    return this.idleUntil === null ? reassignAt : Math.min(reassignAt, this.idleUntil);
  }

  /** Sends the current slot to its module and sets when to send it again. */
  private handOut(now: Millis): void {
    const current = this.current;
    if (!current) return;
    const { tts, lockMs, eventMs } = this.config;
    current.reassignAt = now + tts.slotWaitMs + lockMs + eventMs;
    this.out.push(
      send(addressOf(this.node, current.module), {
        type: 'slot-assign',
        slot: current.ref,
        partner: current.partner,
      }),
    );
  }

  private adoptView(): void {
    const members = this.membership.members();
    this.viewId = this.membership.viewId();
    const rotation = parseInt(this.viewId.slice(-8), 16) % Math.max(1, members.length);
    this.tournament = new Tournament(members, rotation);
    this.cycle = 0;
    this.slot = 0;
    this.viewStale = false;
  }

  private advance(): void {
    this.slot += 1;
    if (this.slot >= this.tournament.slotsPerCycle) {
      this.slot = 0;
      this.cycle += 1;
    }
    if (this.viewStale) this.adoptView();
  }

  /**
   * Hands the next slot with something to do to the right module. Byes and pairs out of
   * scope are skipped at once; if a whole cycle has nothing for this node it idles for
   * one event time before looking again, so an empty scope cannot spin.
   */
  private assignNext(now: Millis): void {
    const slots = this.tournament.slotsPerCycle;
    for (let step = 0; step < slots; step++) {
      const plan = this.tournament.planFor(this.node, this.slot);
      const monitor = plan?.role === 'monitor' ? this.node : plan?.partner;
      const sensor = plan?.role === 'monitor' ? plan.partner : this.node;
      if (plan && monitor && this.scope.includes(monitor, sensor)) {
        const ref: SlotRef = { viewId: this.viewId, cycle: this.cycle, slot: this.slot };
        this.current = { ref, module: plan.role, partner: plan.partner, reassignAt: now };
        this.handOut(now);
        return;
      }
      this.advance();
    }
    this.idleUntil = now + this.config.eventMs;
  }
}

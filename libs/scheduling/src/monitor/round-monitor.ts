import { addressOf, type Address, type NodeId } from '../core/address.js';
import { send } from '../core/effects.js';
import { earliest } from '../core/machine.js';
import type { SchedulerMessage, SlotDeny } from '../core/messages.js';
import type { Millis } from '../core/time.js';
import type { CandidateSelector } from './candidate-selector.js';
import { MonitorMachine } from './monitor-machine.js';
import type { PriorityBook } from './priority-book.js';

export interface RoundMonitorSettings {
  /** No answer within this: drop the sensor from this round (CPS: listening + 1 s). */
  readonly requestTimeoutMs: Millis;
  /** Every candidate denied: wait this long, then start a new round (thesis: 2 s). */
  readonly retryWaitMs: Millis;
  /**
   * What ends a round: 'retry' waits and starts over (CPS, CRS); 'report' tells the
   * controller the round is complete and waits to be stood down (Round Robin's token hold).
   */
  readonly onRoundExhausted: 'retry' | 'report';
  /** Start a fresh round after every completed event (CPS re-sorts; RR walks on). */
  readonly newRoundAfterEvent: boolean;
  /**
   * A sensor that denied is not asked again, in this round or the next ones, for this long
   * (0: ask again in the next round, as the thesis does).
   */
  readonly denialBackoffMs: Millis;
  /** Denials in one round after which the monitor waits and re-sorts (0: no limit). */
  readonly maxRequestsPerRound: number;
}

/**
 * The monitor of CPS, CRS and Round Robin (thesis 6.3.1.2 and figure 9): while its role is
 * active it asks candidates one at a time in the selector's order; denied or no answer ->
 * next; all denied -> wait and start over; granted -> probe, release, next round. It stands
 * down between events: a role command arriving mid-event takes effect when the event ends.
 */
export class RoundMonitor extends MonitorMachine {
  private active = false;
  private epoch = 0;
  private idleOwed = false;
  private roundReported = false;
  private timeoutAt: Millis | null = null;
  private retryAt: Millis | null = null;
  private deniedThisRound = 0;
  /** Activated while the scope was unknown: its round begins when the scope arrives. */
  private roundOwed = false;

  constructor(
    node: NodeId,
    initialMembers: readonly NodeId[],
    initialOrder: (members: NodeId[]) => NodeId[],
    private readonly settings: RoundMonitorSettings,
    private readonly selectorFor: (book: PriorityBook) => CandidateSelector,
  ) {
    super(node, initialMembers, initialOrder);
    this.selector = this.selectorFor(this.book);
  }

  private readonly selector: CandidateSelector;

  get isActive(): boolean {
    return this.active;
  }

  protected override onOtherMessage(from: Address, message: SchedulerMessage, now: Millis): void {
    if (message.type !== 'role' || from.node !== this.node || from.module !== 'controller') return;
    this.epoch = message.epoch;
    if (message.active) {
      this.idleOwed = false;
      if (!this.active) {
        this.active = true;
        this.roundReported = false;
        this.retryAt = null;
        this.roundOwed = true;
        this.beginOwedRound(now);
      }
      return;
    }
    this.active = false;
    this.roundOwed = false;
    this.retryAt = null;
    // A request still in flight is abandoned; a grant that arrives for it is released.
    this.pending = null;
    this.timeoutAt = null;
    this.idleOwed = true;
    this.reportIdleIfOwed();
  }

  protected onDenied(sensor: NodeId, deny: SlotDeny, now: Millis): void {
    this.timeoutAt = null;
    this.selector.markTried(sensor);
    this.deniedThisRound += 1;
    if (this.settings.denialBackoffMs > 0) {
      // A sensor that said when it will be back is believed; otherwise the fixed back-off.
      this.selector.defer(sensor, now + (deny.retryAfterMs ?? this.settings.denialBackoffMs));
    }
    this.pump(now);
  }

  protected onProbeDone(sensor: NodeId, _ok: boolean, now: Millis): void {
    this.selector.markTried(sensor);
    if (this.settings.newRoundAfterEvent) this.beginRound(now);
    this.reportIdleIfOwed();
    this.pump(now);
  }

  protected mayMeasure(): boolean {
    return this.active;
  }

  protected override onMembersChanged(now: Millis): void {
    if (!this.active) return;
    // The scope came after the role: the round the activation owes begins now.
    if (this.roundOwed) return this.beginOwedRound(now);
    // Round Robin walks one round per token hold; a change does not start it over.
    if (this.settings.onRoundExhausted === 'report') return;
    this.beginRound(now);
    this.pump(now);
  }

  /** The round an activation starts, once the scope is known (until then: no candidates). */
  private beginOwedRound(now: Millis): void {
    if (this.scope === null) return;
    this.roundOwed = false;
    this.beginRound(now);
    this.pump(now);
  }

  protected onWake(now: Millis): void {
    if (this.pending && this.timeoutAt !== null && now >= this.timeoutAt) {
      this.timeoutAt = null;
      const sensor = this.timeoutPending();
      if (sensor) this.selector.markTried(sensor);
    }
    if (this.retryAt !== null && now >= this.retryAt) {
      this.retryAt = null;
      this.beginRound(now);
    }
    this.pump(now);
  }

  protected policyWakeAt(): Millis | null {
    return earliest(this.pending ? this.timeoutAt : null, this.retryAt);
  }

  private beginRound(now: Millis): void {
    this.deniedThisRound = 0;
    this.selector.beginRound(this.candidates(), now);
  }

  private pump(now: Millis): void {
    if (!this.active || this.busy || this.retryAt !== null || this.roundReported) return;
    // Not told its scope yet: no round can be judged exhausted; the scope starts one.
    if (this.scope === null) return;
    const cap = this.settings.maxRequestsPerRound;
    const capped = cap > 0 && this.deniedThisRound >= cap;
    const sensor = capped ? null : this.selector.next(now);
    if (sensor === null) {
      if (this.settings.onRoundExhausted === 'report') {
        this.roundReported = true;
        this.out.push(
          send(addressOf(this.node, 'controller'), { type: 'round-complete', epoch: this.epoch }),
        );
      } else {
        // Capped: untried sensors remain, so only the retry wait. Exhausted: wait the retry
        // time, or longer if every skipped sensor said it would not serve before then.
        const deferred = capped ? null : this.selector.deferredUntil();
        this.retryAt = Math.max(now + this.settings.retryWaitMs, deferred ?? 0);
      }
      return;
    }
    this.sendRequest(sensor, now);
    this.timeoutAt = now + this.settings.requestTimeoutMs;
  }

  private reportIdleIfOwed(): void {
    if (!this.idleOwed || this.probe) return;
    this.idleOwed = false;
    this.out.push(
      send(addressOf(this.node, 'controller'), {
        type: 'module-idle',
        module: 'monitor',
        epoch: this.epoch,
      }),
    );
  }
}

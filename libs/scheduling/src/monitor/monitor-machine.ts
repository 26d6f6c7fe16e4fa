import { addressOf, type Address, type NodeId } from '../core/address.js';
import { emit, send, type Effect, type ProbeOutcome } from '../core/effects.js';
import type { SchedulerMachine } from '../core/machine.js';
import type { SchedulerMessage, SlotDeny, SlotGrant, SlotRef } from '../core/messages.js';
import { pairScopeFrom, type PairScope } from '../core/pair-scope.js';
import type { Millis } from '../core/time.js';
import { PriorityBook, type PairPriority } from './priority-book.js';

interface PendingRequest {
  readonly requestId: string;
  readonly sensor: NodeId;
  /** Send time of each copy, indexed by attempt. */
  readonly sentAt: Millis[];
  readonly slot?: SlotRef;
}

interface RunningProbe {
  readonly measurementId: string;
  readonly sensor: NodeId;
  readonly fencingToken: number;
}

/**
 * What every monitor does whatever the algorithm: ask one sensor at a time, run the probe
 * on a grant with a deadline inside the sensor's lock, release the sensor afterwards, and
 * keep the per-sensor priorities. Subclasses decide whom to ask and what to do after an
 * answer.
 *
 * A grant that arrives for a request the monitor no longer waits for (it timed out, or the
 * monitor stood down) is released at once, so a slow answer never leaves a sensor locked
 * until its lease lapses.
 */
export abstract class MonitorMachine implements SchedulerMachine {
  readonly address: Address;
  protected out: Effect[] = [];
  protected members: NodeId[] = [];
  /**
   * Which sensors this monitor may measure; null until its controller has said so in this
   * run. Not "all" by default: in the services the controller's scope and its role order
   * travel as separate messages, and a monitor that switched runs between the two once
   * began measuring every pair while its node was in discovery mode.
   */
  protected scope: PairScope | null = null;
  protected readonly book = new PriorityBook();
  protected pending: PendingRequest | null = null;
  protected probe: RunningProbe | null = null;
  private requestCounter = 0;

  constructor(
    readonly node: NodeId,
    initialMembers: readonly NodeId[],
    /** Tie-break among never-measured sensors; differs per node so monitors do not all start on the same sensor. */
    initialOrder: (members: NodeId[]) => NodeId[],
  ) {
    this.address = addressOf(node, 'monitor');
    this.members = [...initialMembers];
    this.book.syncMembers(initialOrder(this.members.filter((member) => member !== node)));
  }

  get busy(): boolean {
    return this.pending !== null || this.probe !== null;
  }

  priorities(now: Millis): PairPriority[] {
    const scope = this.scope;
    if (!scope) return [];
    return this.book.snapshot(now).filter((entry) => scope.includes(this.node, entry.sensor));
  }

  /**
   * A restarted monitor service restores when it last measured each sensor (the services
   * keep that in Redis), so a restart does not reset every priority to "never measured".
   */
  restoreLastMeasured(sensor: NodeId, at: Millis): void {
    this.book.recordMeasured(sensor, at);
  }

  /** Monitors do nothing until their controller activates them or assigns a slot. */
  start(_now: Millis): Effect[] {
    return [];
  }

  receive(from: Address, message: SchedulerMessage, now: Millis): Effect[] {
    this.out = [];
    switch (message.type) {
      case 'slot-grant':
        this.onGrant(message, now);
        break;
      case 'slot-deny':
        if (this.pending?.requestId === message.requestId) {
          const sensor = this.pending.sensor;
          this.pending = null;
          this.onDenied(sensor, message, now);
        }
        break;
      case 'members':
        if (from.node === this.node) {
          this.members = [...message.members];
          this.candidateCache = null;
          this.book.syncMembers(this.members.filter((member) => member !== this.node));
          this.onMembersChanged(now);
        }
        break;
      case 'intents':
        this.scope = pairScopeFrom(message.scope);
        this.candidateCache = null;
        // A request to a sensor that just left the scope is abandoned; should its grant
        // still come, it is released at once like any grant nobody waits for.
        if (this.pending && !this.scope.includes(this.node, this.pending.sensor)) {
          this.pending = null;
        }
        this.onMembersChanged(now);
        break;
      case 'priority-override':
        this.book.setOverride(message.sensor, message.priorityMs);
        break;
      default:
        // Activated before it knows its scope: it measures nothing until told, and asks its
        // controller to tell it again (a resync: members, scope, role).
        if (message.type === 'role' && message.active && this.scope === null) {
          this.out.push(
            send(addressOf(this.node, 'controller'), { type: 'module-ready', module: 'monitor' }),
          );
        }
        this.onOtherMessage(from, message, now);
    }
    return this.out;
  }

  wake(now: Millis): Effect[] {
    this.out = [];
    this.onWake(now);
    return this.out;
  }

  nextWakeAt(): Millis | null {
    return this.policyWakeAt();
  }

  /** The adapter reports that the probe ended (or was killed at its deadline). */
  probeFinished(outcome: ProbeOutcome, now: Millis): Effect[] {
    this.out = [];
    const probe = this.probe;
    if (!probe || probe.measurementId !== outcome.measurementId) return this.out;
    this.probe = null;
    this.release(probe.sensor, probe.measurementId, probe.fencingToken);
    if (outcome.ok) this.book.recordMeasured(probe.sensor, now);
    this.onProbeDone(probe.sensor, outcome.ok, now);
    return this.out;
  }

  // ---- hooks ------------------------------------------------------------------------------

  protected abstract onDenied(sensor: NodeId, deny: SlotDeny, now: Millis): void;
  protected abstract onProbeDone(sensor: NodeId, ok: boolean, now: Millis): void;
  /** Whether a grant for the pending request may still be used (e.g. the role is still active). */
  protected abstract mayMeasure(now: Millis): boolean;
  protected abstract onWake(now: Millis): void;
  protected abstract policyWakeAt(): Millis | null;
  protected onMembersChanged(_now: Millis): void {}
  protected onOtherMessage(_from: Address, _message: SchedulerMessage, _now: Millis): void {}
  // ---- mechanics --------------------------------------------------------------------------

  private candidateCache: NodeId[] | null = null;

  /** Members in scope other than this node; the same array until members or intents change. */
  protected candidates(): NodeId[] {
    const scope = this.scope;
    if (!scope) return [];
    this.candidateCache ??= this.members.filter(
      (member) => member !== this.node && scope.includes(this.node, member),
    );
    return this.candidateCache;
  }

  protected sendRequest(sensor: NodeId, now: Millis, slot?: SlotRef): void {
    this.requestCounter += 1;
    this.pending = { requestId: `${this.node}#${this.requestCounter}`, sensor, sentAt: [], slot };
    this.resendRequest(now);
  }

  /** Same request id again, so a sensor that already granted answers with the same lock. */
  protected resendRequest(now: Millis): void {
    const pending = this.pending;
    if (!pending) return;
    pending.sentAt.push(now);
    this.out.push(
      send(addressOf(pending.sensor, 'sensor'), {
        type: 'slot-request',
        requestId: pending.requestId,
        monitor: this.node,
        priority: this.book.priorityOf(pending.sensor, now),
        attempt: pending.sentAt.length - 1,
        ...(pending.slot ? { slot: pending.slot } : {}),
      }),
    );
  }

  private onGrant(grant: SlotGrant, now: Millis): void {
    // A retried request can be granted twice (the sensor re-sends the same lock). The copy
    // for the probe now running must change nothing: releasing on it would free the
    // sensor mid-probe and let its node start another measurement at once.
    if (this.probe?.measurementId === grant.requestId) return;
    const pending = this.pending;
    if (!pending || pending.requestId !== grant.requestId) {
      this.release(grant.sensor, grant.requestId, grant.fencingToken);
      return;
    }
    this.pending = null;
    if (!this.mayMeasure(now)) {
      this.release(grant.sensor, grant.requestId, grant.fencingToken);
      return;
    }
    // The sensor locked no earlier than it received the copy it answers, which we sent at
    // sentAt[attempt]: this deadline falls inside the lock whatever the message delay was.
    const sentAt = pending.sentAt[grant.attempt] ?? pending.sentAt[0];
    const deadline = sentAt + grant.leaseMs;
    this.probe = {
      measurementId: grant.requestId,
      sensor: grant.sensor,
      fencingToken: grant.fencingToken,
    };
    this.out.push({
      kind: 'probe-start',
      probe: {
        measurementId: grant.requestId,
        monitor: this.node,
        sensor: grant.sensor,
        fencingToken: grant.fencingToken,
        deadline,
      },
    });
  }

  protected timeoutPending(): NodeId | null {
    const pending = this.pending;
    if (!pending) return null;
    this.pending = null;
    this.out.push(emit({ type: 'request-timeout', monitor: this.node, sensor: pending.sensor }));
    return pending.sensor;
  }

  /**
   * Sent twice: a lost release keeps the sensor locked for a whole lock time, while a
   * duplicate is ignored (it no longer matches the sensor's lock).
   */
  private release(sensor: NodeId, requestId: string, fencingToken: number): void {
    const release = send(addressOf(sensor, 'sensor'), {
      type: 'slot-release',
      requestId,
      monitor: this.node,
      fencingToken,
    });
    this.out.push(release, release);
  }
}

import { addressOf, type NodeId } from '../core/address.js';
import { send, type Effect } from '../core/effects.js';
import type { Millis } from '../core/time.js';
import { compareNodeIds } from '../monitor/candidate-selector.js';
import { viewIdOf } from './view-id.js';

export interface MembershipSettings {
  readonly pingTimeoutMs: Millis;
  /** Pings per member within one check before the check counts as failed for it. */
  readonly pingAttempts: number;
  readonly failuresToRemove: number;
}

/**
 * A controller's view of the cluster: who is a member, and the liveness check that removes
 * members which stop answering. A check pings every other member, and pings again those
 * that have not answered, up to `pingAttempts` times; a member that fails
 * `failuresToRemove` checks in a row is removed. On a lossy network one lost ping (or
 * pong) must not evict a healthy node: a false removal makes views differ, which costs
 * Timetable slots and Round Robin token passes.
 *
 * Views also converge by anti-entropy: every ping carries a digest of the sender's view,
 * and a member whose view differs answers with its member list (a lost hello would
 * otherwise split the views for good). A node learnt that way is not added on a third
 * party's word: the controller pings it, and only its own answer makes it a member, so
 * gossip from a member that has not yet noticed a crash cannot bring the dead back.
 */
export class Membership {
  private readonly failures = new Map<NodeId, number>();
  private sorted: NodeId[] | null = null;
  private digest: string | null = null;
  private readonly probedAt = new Map<NodeId, Millis>();
  private check: {
    nonce: number;
    deadline: Millis;
    attempt: number;
    outstanding: Set<NodeId>;
  } | null = null;
  private nonce = 0;

  constructor(
    readonly self: NodeId,
    initialMembers: readonly NodeId[],
    private readonly settings: MembershipSettings,
  ) {
    for (const member of initialMembers) this.failures.set(member, 0);
    this.failures.set(self, 0);
  }

  get size(): number {
    return this.failures.size;
  }

  has(node: NodeId): boolean {
    return this.failures.has(node);
  }

  /** Members in natural order, the same on every node with the same view. */
  members(): readonly NodeId[] {
    this.sorted ??= [...this.failures.keys()].sort(compareNodeIds);
    return this.sorted;
  }

  /** Digest of the member list, equal on every node with the same view. */
  viewId(): string {
    this.digest ??= viewIdOf(this.members());
    return this.digest;
  }

  /** Adds a node that contacted us itself (hello, welcome, ping, pong). */
  add(node: NodeId): boolean {
    this.probedAt.delete(node);
    if (this.failures.has(node)) return false;
    this.failures.set(node, 0);
    this.changed();
    return true;
  }

  remove(node: NodeId): boolean {
    if (node === this.self || !this.failures.delete(node)) return false;
    this.check?.outstanding.delete(node);
    this.changed();
    return true;
  }

  /** Members another node told us about that we do not know: to be confirmed by a ping. */
  unknownAmong(members: readonly NodeId[]): NodeId[] {
    return members.filter((node) => !this.failures.has(node));
  }

  /**
   * A ping that confirms a node learnt from gossip; its pong makes it a member. At most one
   * per node per check's length: every pong from a differing view lists the same unknown
   * nodes, and probing each of them again every time made pings breed pings.
   */
  probe(node: NodeId, now: Millis): Effect | null {
    const last = this.probedAt.get(node);
    if (last !== undefined && now - last < this.settings.pingTimeoutMs * this.settings.pingAttempts)
      return null;
    this.probedAt.set(node, now);
    return send(addressOf(node, 'controller'), {
      type: 'ping',
      from: this.self,
      nonce: 0,
      viewId: this.viewId(),
    });
  }

  private changed(): void {
    this.sorted = null;
    this.digest = null;
  }

  get checkDeadline(): Millis | null {
    return this.check?.deadline ?? null;
  }

  get checking(): boolean {
    return this.check !== null;
  }

  /** Pings every other member. Does nothing while a check is already running. */
  startCheck(now: Millis): Effect[] {
    if (this.check) return [];
    this.nonce += 1;
    const outstanding = new Set<NodeId>();
    for (const member of this.failures.keys()) if (member !== this.self) outstanding.add(member);
    this.check = {
      nonce: this.nonce,
      deadline: now + this.settings.pingTimeoutMs,
      attempt: 1,
      outstanding,
    };
    return this.pingOutstanding();
  }

  private pingOutstanding(): Effect[] {
    const check = this.check;
    if (!check) return [];
    const effects: Effect[] = [];
    for (const member of check.outstanding) {
      effects.push(
        send(addressOf(member, 'controller'), {
          type: 'ping',
          from: this.self,
          nonce: check.nonce,
          viewId: this.viewId(),
        }),
      );
    }
    return effects;
  }

  onPong(from: NodeId, nonce: number): void {
    if (this.check?.nonce === nonce) this.check.outstanding.delete(from);
    if (this.failures.has(from)) this.failures.set(from, 0);
  }

  /**
   * At the check's deadline: pings again whoever has not answered, or, after the last
   * attempt, ends the check. Returns the pings to send and the members removed.
   */
  onCheckDeadline(now: Millis): { effects: Effect[]; removed: NodeId[] } {
    const check = this.check;
    if (!check || now < check.deadline) return { effects: [], removed: [] };
    if (check.attempt < this.settings.pingAttempts && check.outstanding.size > 0) {
      check.attempt += 1;
      check.deadline = now + this.settings.pingTimeoutMs;
      return { effects: this.pingOutstanding(), removed: [] };
    }
    this.check = null;
    const removed: NodeId[] = [];
    for (const member of check.outstanding) {
      const failures = (this.failures.get(member) ?? 0) + 1;
      if (failures >= this.settings.failuresToRemove) {
        this.remove(member);
        removed.push(member);
      } else {
        this.failures.set(member, failures);
      }
    }
    return { effects: [], removed };
  }
}

import { addressOf, type Address, type NodeId } from '../core/address.js';
import { emit, send } from '../core/effects.js';
import { earliest } from '../core/machine.js';
import type { SchedulerMessage } from '../core/messages.js';
import type { Millis } from '../core/time.js';
import { compareNodeIds } from '../monitor/candidate-selector.js';
import { ControllerMachine, type ControllerOptions, type Role } from './controller-machine.js';

/**
 * Round Robin as a token ring (thesis 6.1, 7.1.2.1). The holder is the only monitor and
 * measures every other member once; then it becomes a sensor again and hands the token to
 * the next member in natural order, wrapping around. Everyone else is a sensor.
 *
 * Failures: a pass is acknowledged; after `tokenPassAttempts` unanswered tries the next
 * member is tried. Each new holder broadcasts itself; if nothing is heard for longer than a
 * full hold, the lost holder's ring successor regenerates the token with a higher
 * generation (members further along wait longer, so normally exactly one does). A holder
 * that hears of a newer generation drops its own token.
 */
export class TokenRingController extends ControllerMachine {
  private holding: number | null = null;
  private knownGeneration = 0;
  private lastHolder: { node: NodeId; at: Millis } | null = null;
  private passing: { to: NodeId; generation: number; attempts: number; deadline: Millis } | null =
    null;
  private passWhenSensor = false;
  private retakeAt: Millis | null = null;

  constructor(options: ControllerOptions) {
    super(options);
  }

  get holdsToken(): boolean {
    return this.holding !== null;
  }

  get generation(): number {
    return this.knownGeneration;
  }

  protected onStart(now: Millis): void {
    this.switchTo('sensor', now);
    const first = this.membership.members()[0];
    this.lastHolder = { node: first, at: now };
    if (first === this.node) this.takeToken(1, now);
  }

  protected override onOtherMessage(from: Address, message: SchedulerMessage, now: Millis): void {
    switch (message.type) {
      case 'token-pass':
        this.out.push(
          send(addressOf(message.from, 'controller'), {
            type: 'token-ack',
            from: this.node,
            generation: message.generation,
          }),
        );
        if (
          message.generation > this.knownGeneration ||
          (message.generation === this.knownGeneration && this.holding === null && !this.passing)
        ) {
          this.takeToken(message.generation, now);
        }
        break;
      case 'token-ack':
        if (
          this.passing &&
          this.passing.to === message.from &&
          this.passing.generation === message.generation
        ) {
          this.passing = null;
        }
        break;
      case 'token-holder':
        if (message.generation >= this.knownGeneration) {
          this.knownGeneration = message.generation;
          this.lastHolder = { node: message.node, at: now };
        }
        if (this.holding !== null && message.generation > this.holding) {
          // A newer token exists: ours is a stale duplicate.
          this.holding = null;
          this.passWhenSensor = false;
          this.switchTo('sensor', now);
        }
        break;
      case 'round-complete':
        if (from.node === this.node && this.holding !== null) {
          this.passWhenSensor = true;
          this.switchTo('sensor', now);
        }
        break;
      default:
    }
  }

  protected override onRoleStarted(role: Role, now: Millis): void {
    if (role !== 'sensor' || !this.passWhenSensor || this.holding === null) return;
    this.passWhenSensor = false;
    const generation = this.holding;
    this.holding = null;
    this.passTo(this.successorOf(this.node), generation, now);
  }

  protected override onWake(now: Millis): void {
    if (this.passing && now >= this.passing.deadline) {
      const passing = this.passing;
      if (passing.attempts < this.config.rr.tokenPassAttempts) {
        passing.attempts += 1;
        passing.deadline = now + this.config.rr.tokenAckTimeoutMs;
        this.sendToken(passing.to, passing.generation);
      } else {
        this.passing = null;
        this.passTo(this.successorOf(passing.to), passing.generation, now);
      }
    }
    if (this.retakeAt !== null && now >= this.retakeAt) {
      this.retakeAt = null;
      this.takeToken(this.knownGeneration, now);
    }
    const lostAt = this.tokenLostAt();
    if (lostAt !== null && now >= lostAt) {
      this.knownGeneration += 1;
      this.out.push(
        emit({ type: 'token-regenerated', node: this.node, generation: this.knownGeneration }),
      );
      this.takeToken(this.knownGeneration, now);
    }
  }

  protected override policyWakeAt(): Millis | null {
    return earliest(this.passing?.deadline, this.retakeAt, this.tokenLostAt());
  }

  private takeToken(generation: number, now: Millis): void {
    this.holding = generation;
    this.knownGeneration = Math.max(this.knownGeneration, generation);
    this.lastHolder = { node: this.node, at: now };
    this.out.push({
      kind: 'broadcast',
      module: 'controller',
      message: { type: 'token-holder', node: this.node, generation },
    });
    this.switchTo('monitor', now);
  }

  private passTo(to: NodeId, generation: number, now: Millis): void {
    if (to === this.node) {
      // Alone in the ring: hold again after a pause rather than spinning.
      this.retakeAt = now + this.config.retryWaitMs;
      return;
    }
    this.passing = {
      to,
      generation,
      attempts: 1,
      deadline: now + this.config.rr.tokenAckTimeoutMs,
    };
    this.sendToken(to, generation);
  }

  private sendToken(to: NodeId, generation: number): void {
    this.out.push(
      send(addressOf(to, 'controller'), { type: 'token-pass', from: this.node, generation }),
    );
  }

  private successorOf(node: NodeId): NodeId {
    const members = this.membership.members();
    const index = members.indexOf(node);
    if (index >= 0) return members[(index + 1) % members.length];
    // The node is no longer a member: its successor is the first member after it.
    const next = members.find((member) => compareNodeIds(member, node) > 0);
    return next ?? members[0];
  }

  /** When this node should regenerate a token that nobody has been heard holding. */
  private tokenLostAt(): Millis | null {
    if (this.holding !== null || this.passing || this.retakeAt !== null || !this.lastHolder)
      return null;
    if (this.lastHolder.node === this.node) return null;
    const members = this.membership.members();
    const n = members.length;
    const holderIndex = members.indexOf(this.lastHolder.node);
    const selfIndex = members.indexOf(this.node);
    const distance = holderIndex < 0 ? 1 : (selfIndex - holderIndex + n) % n;
    const fullHoldMs = (n - 1) * (this.config.lockMs + 1000) + 2 * this.config.graceMs;
    return this.lastHolder.at + fullHoldMs + (distance - 1) * this.config.graceMs;
  }
}

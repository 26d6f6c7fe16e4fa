import { addressOf, type Address, type NodeId } from '../core/address.js';
import { emit, send, type Effect } from '../core/effects.js';
import { earliest, type SchedulerMachine } from '../core/machine.js';
import { ALL_PAIRS } from '../core/pair-scope.js';
import type { IntentsUpdate, SchedulerMessage } from '../core/messages.js';
import type { RandomSource } from '../core/random.js';
import type { Millis } from '../core/time.js';
import type { SchedulerConfig } from '../config/scheduler-config.js';
import { Membership } from '../membership/membership.js';

export type Role = 'monitor' | 'sensor';

export interface ControllerOptions {
  readonly node: NodeId;
  readonly members: readonly NodeId[];
  readonly config: SchedulerConfig;
  readonly random: RandomSource;
  /** A node joining a running cluster announces itself at start. */
  readonly joining?: boolean;
}

/**
 * What every controller does: membership (join, leave, removal after failed liveness
 * checks), telling its sensor and monitor who the members are, and switching the node's
 * role safely.
 *
 * A switch first stands the outgoing module down and waits until it reports idle (its
 * lock released, its event finished) or the grace time runs out, and only then activates
 * the other module. Grace >= lock time, so even a lost idle report cannot make a node a
 * monitor while its sensor is still locked, or the reverse.
 */
export abstract class ControllerMachine implements SchedulerMachine {
  readonly address: Address;
  readonly node: NodeId;
  protected out: Effect[] = [];
  protected readonly membership: Membership;
  protected readonly config: SchedulerConfig;
  protected readonly random: RandomSource;
  private readonly joining: boolean;
  protected role: Role | null = null;
  private roleEpoch = 0;
  private switching: { from: Role; target: Role; epoch: number; graceUntil: Millis } | null = null;
  private nextIntervalCheckAt: Millis | null = null;
  /** While the node knows no other member, when it says hello again. */
  private nextHelloAt: Millis | null = null;
  /**
   * The scope this node was last told (all pairs until then), sent to the monitor and
   * sensor at start and to a module that (re)starts: a monitor measures nothing before it
   * has heard it.
   */
  private intents: IntentsUpdate = { type: 'intents', scope: ALL_PAIRS };

  constructor(options: ControllerOptions) {
    this.node = options.node;
    this.address = addressOf(options.node, 'controller');
    this.config = options.config;
    this.random = options.random;
    this.joining = options.joining ?? false;
    this.membership = new Membership(options.node, options.members, {
      pingTimeoutMs: options.config.pingTimeoutMs,
      pingAttempts: options.config.pingAttempts,
      failuresToRemove: options.config.livenessFailuresToRemove,
    });
  }

  /** The role in force, or null while switching. */
  get currentRole(): Role | null {
    return this.role;
  }

  get members(): readonly NodeId[] {
    return this.membership.members();
  }

  start(now: Millis): Effect[] {
    this.out = [];
    if (this.joining || this.isAlone()) this.sayHello(now);
    this.publishScope();
    this.publishMembers();
    if (this.checksOnInterval()) this.nextIntervalCheckAt = now + this.livenessInterval();
    this.onStart(now);
    return this.out;
  }

  /** A node leaving on purpose says goodbye, so the others need not wait for liveness checks. */
  leave(): Effect[] {
    return [
      { kind: 'broadcast', module: 'controller', message: { type: 'goodbye', node: this.node } },
    ];
  }

  receive(from: Address, message: SchedulerMessage, now: Millis): Effect[] {
    this.out = [];
    switch (message.type) {
      case 'module-idle':
        if (
          from.node === this.node &&
          this.switching?.from === message.module &&
          this.switching.epoch === message.epoch
        ) {
          this.completeSwitch(now);
        }
        break;
      case 'module-ready':
        if (from.node === this.node) this.resync(message.module, now);
        break;
      case 'ping': {
        const differs = message.viewId !== this.membership.viewId();
        this.out.push(
          send(addressOf(message.from, 'controller'), {
            type: 'pong',
            from: this.node,
            nonce: message.nonce,
            ...(differs ? { members: this.membership.members() } : {}),
          }),
        );
        // A live node we had removed pings us during its own checks: take it back.
        if (!this.membership.has(message.from)) this.onJoinRequest(message.from, now);
        break;
      }
      case 'pong':
        this.membership.onPong(message.from, message.nonce);
        // An answer is first-hand proof of life: a node we probed after gossip joins here.
        if (!this.membership.has(message.from)) this.onJoinRequest(message.from, now);
        if (message.members) {
          for (const node of this.membership.unknownAmong(message.members)) {
            if (this.isPendingJoin(node)) continue;
            const probe = this.membership.probe(node, now);
            if (probe) this.out.push(probe);
          }
        }
        break;
      case 'hello':
        if (message.node === this.node) break;
        this.out.push(
          send(addressOf(message.node, 'controller'), { type: 'welcome', node: this.node }),
        );
        this.onJoinRequest(message.node, now);
        break;
      case 'welcome':
        this.addMember(message.node, now);
        break;
      case 'goodbye':
        this.onGoodbye(message.node);
        this.removeMember(message.node, 'left', now);
        break;
      case 'intents':
        this.intents = message;
        this.publishScope();
        this.onIntents(message, now);
        break;
      default:
        this.onOtherMessage(from, message, now);
    }
    return this.out;
  }

  wake(now: Millis): Effect[] {
    this.out = [];
    if (this.switching && now >= this.switching.graceUntil) {
      this.out.push(emit({ type: 'grace-expired', node: this.node, module: this.switching.from }));
      this.completeSwitch(now);
    }
    const deadline = this.membership.checkDeadline;
    if (deadline !== null && now >= deadline) {
      const { effects, removed } = this.membership.onCheckDeadline(now);
      this.out.push(...effects);
      for (const member of removed) this.afterRemoval(member, 'liveness', now);
    }
    if (this.nextIntervalCheckAt !== null && now >= this.nextIntervalCheckAt) {
      this.nextIntervalCheckAt = now + this.livenessInterval();
      this.runLivenessCheck(now);
    }
    if (this.nextHelloAt !== null && now >= this.nextHelloAt) {
      this.nextHelloAt = null;
      if (this.isAlone()) this.sayHello(now);
    }
    this.onWake(now);
    return this.out;
  }

  nextWakeAt(): Millis | null {
    return earliest(
      this.switching?.graceUntil,
      this.membership.checkDeadline,
      this.nextIntervalCheckAt,
      this.nextHelloAt,
      this.policyWakeAt(),
    );
  }

  // ---- hooks --------------------------------------------------------------------------

  protected abstract onStart(now: Millis): void;
  protected onWake(_now: Millis): void {}
  protected policyWakeAt(): Millis | null {
    return null;
  }
  protected onOtherMessage(_from: Address, _message: SchedulerMessage, _now: Millis): void {}
  protected onRoleStarted(_role: Role, _now: Millis): void {}
  protected onMembersChanged(_now: Millis): void {}
  /** After a module's resync: policies re-send what else it needs (e.g. a slot assignment). */
  protected onModuleReady(_module: 'sensor' | 'monitor', _now: Millis): void {}
  protected onIntents(_message: IntentsUpdate, _now: Millis): void {}
  /** True: liveness checks run on a fixed interval. False: the subclass calls runLivenessCheck. */
  protected checksOnInterval(): boolean {
    return true;
  }
  /** Whether a node already waits to be added (CPS adds joins at its sensor-period end). */
  protected isPendingJoin(_node: NodeId): boolean {
    return false;
  }
  /** A node said goodbye: forget anything kept for it (CPS: a join still pending). */
  protected onGoodbye(_node: NodeId): void {}
  /** Default: a node that asks to join is added at once. CPS defers to its sensor-period end. */
  protected onJoinRequest(node: NodeId, now: Millis): void {
    this.addMember(node, now);
  }

  // ---- mechanics ------------------------------------------------------------------------

  private isAlone(): boolean {
    return this.membership.size <= 1;
  }

  /**
   * Announces the node; the controllers that hear it welcome it. A node that knows no
   * other member says it again every liveness interval until one answers: nothing else
   * would ever connect it, since it pings nobody and nobody knows it. In a deployment the
   * nodes start in any order, with no member list, and a hello sent before the others
   * listen (or while they still run another scheduler run) is lost.
   */
  private sayHello(now: Millis): void {
    this.out.push({
      kind: 'broadcast',
      module: 'controller',
      message: { type: 'hello', node: this.node },
    });
    this.nextHelloAt = this.isAlone() ? now + this.livenessInterval() : null;
  }

  private livenessInterval(): Millis {
    return Math.max(
      this.config.livenessIntervalMs,
      this.membership.size * this.config.livenessIntervalPerMemberMs,
    );
  }

  protected runLivenessCheck(now: Millis): void {
    this.out.push(...this.membership.startCheck(now));
  }

  protected addMember(node: NodeId, now: Millis): void {
    if (!this.membership.add(node)) return;
    this.out.push(emit({ type: 'member-joined', node: this.node, member: node }));
    this.publishMembers();
    this.onMembersChanged(now);
  }

  protected removeMember(node: NodeId, reason: 'left' | 'liveness', now: Millis): void {
    if (!this.membership.remove(node)) return;
    this.afterRemoval(node, reason, now);
  }

  private afterRemoval(node: NodeId, reason: 'left' | 'liveness', now: Millis): void {
    this.out.push(emit({ type: 'member-removed', node: this.node, member: node, reason }));
    // Left alone: look for the cluster again.
    if (this.isAlone() && this.nextHelloAt === null) {
      this.nextHelloAt = now + this.livenessInterval();
    }
    this.publishMembers();
    this.onMembersChanged(now);
  }

  private publishScope(): void {
    this.out.push(send(addressOf(this.node, 'monitor'), this.intents));
    this.out.push(send(addressOf(this.node, 'sensor'), this.intents));
  }

  protected publishMembers(): void {
    const members = this.membership.members();
    this.out.push(send(addressOf(this.node, 'monitor'), { type: 'members', members }));
    this.out.push(send(addressOf(this.node, 'sensor'), { type: 'members', members }));
  }

  /** Tells a (re)started module the members, the scope and its role, as last commanded. */
  private resync(module: 'sensor' | 'monitor', now: Millis): void {
    const to = addressOf(this.node, module);
    this.out.push(send(to, { type: 'members', members: this.membership.members() }));
    this.out.push(send(to, this.intents));
    if (this.switching?.from === module) {
      // Standing down: it holds nothing after a restart, so it reports idle at once.
      this.out.push(send(to, { type: 'role', active: false, epoch: this.switching.epoch }));
    } else {
      this.out.push(
        send(to, { type: 'role', active: this.role === module, epoch: this.roleEpoch }),
      );
    }
    this.onModuleReady(module, now);
  }

  protected get isSwitching(): boolean {
    return this.switching !== null;
  }

  /**
   * Switch the node's role; a switch already under way is re-targeted instead.
   * `targetForMs`, when known, is how long the new role will last: the module standing
   * down passes it on ("back in ...") so that monitors do not keep asking a node that is
   * busy monitoring itself. It is a lower bound (the switch back may take a drain), so a
   * monitor that trusts it never skips a node that is already available.
   */
  protected switchTo(target: Role, now: Millis, targetForMs?: Millis): void {
    if (this.switching) {
      this.switching.target = target;
      return;
    }
    if (this.role === target) return;
    const from = this.role;
    if (from === null) return this.activate(target, now);
    this.role = null;
    this.roleEpoch += 1;
    this.out.push(
      send(addressOf(this.node, from), {
        type: 'role',
        active: false,
        epoch: this.roleEpoch,
        ...(targetForMs === undefined ? {} : { backInMs: targetForMs }),
      }),
    );
    this.switching = { from, target, epoch: this.roleEpoch, graceUntil: now + this.config.graceMs };
  }

  /**
   * A node that starts as a monitor has a sensor that was never active: tell it when it
   * will be, so its denials carry that hint from the first request on.
   */
  protected tellSensorWhenBack(inMs: Millis): void {
    this.roleEpoch += 1;
    this.out.push(
      send(addressOf(this.node, 'sensor'), {
        type: 'role',
        active: false,
        epoch: this.roleEpoch,
        backInMs: inMs,
      }),
    );
  }

  private completeSwitch(now: Millis): void {
    const switching = this.switching;
    if (!switching) return;
    this.switching = null;
    this.activate(switching.target, now);
  }

  private activate(target: Role, now: Millis): void {
    this.roleEpoch += 1;
    this.role = target;
    this.out.push(
      send(addressOf(this.node, target), { type: 'role', active: true, epoch: this.roleEpoch }),
    );
    this.out.push(emit({ type: 'role-switched', node: this.node, role: target }));
    this.onRoleStarted(target, now);
  }
}

import type { NodeId } from '../core/address.js';
import type { Millis } from '../core/time.js';
import { ControllerMachine, type ControllerOptions, type Role } from './controller-machine.js';
import type { RolePlanner } from './role-planner.js';

/**
 * Controller of CPS and CRS: the node spends periods in a role chosen by its planner. The
 * period runs from the moment the role actually starts (after the switch), so the grace
 * time never eats into it.
 *
 * With `maintainAtSensorEnd` (CPS) joins are applied and the liveness check runs at the
 * end of every sensor period, as in the thesis; otherwise joins apply at once and checks
 * run on an interval.
 */
export class PeriodController extends ControllerMachine {
  private periodEndsAt: Millis | null = null;
  private nextDuration: Millis | null = null;
  private readonly pendingJoins = new Set<NodeId>();

  constructor(
    options: ControllerOptions,
    private readonly planner: RolePlanner,
    private readonly maintainAtSensorEnd: boolean,
  ) {
    super(options);
  }

  get periodEnd(): Millis | null {
    return this.periodEndsAt;
  }

  protected onStart(now: Millis): void {
    const role = this.planner.initialRole();
    this.nextDuration = this.planner.initialDuration(role, this.membership.size);
    if (role === 'monitor') this.tellSensorWhenBack(this.nextDuration);
    this.switchTo(role, now);
  }

  protected override checksOnInterval(): boolean {
    return !this.maintainAtSensorEnd;
  }

  protected override isPendingJoin(node: NodeId): boolean {
    return this.pendingJoins.has(node);
  }

  protected override onGoodbye(node: NodeId): void {
    this.pendingJoins.delete(node);
  }

  protected override onJoinRequest(node: NodeId, now: Millis): void {
    if (this.maintainAtSensorEnd) this.pendingJoins.add(node);
    else this.addMember(node, now);
  }

  protected override onRoleStarted(_role: Role, now: Millis): void {
    this.periodEndsAt = now + (this.nextDuration ?? 0);
    this.nextDuration = null;
  }

  protected override onWake(now: Millis): void {
    if (
      this.periodEndsAt === null ||
      now < this.periodEndsAt ||
      this.isSwitching ||
      this.role === null
    )
      return;
    const ended = this.role;
    this.periodEndsAt = null;
    if (ended === 'sensor' && this.maintainAtSensorEnd) {
      for (const node of this.pendingJoins) this.addMember(node, now);
      this.pendingJoins.clear();
      this.runLivenessCheck(now);
    }
    const { role, durationMs } = this.planner.next(ended, this.membership.size);
    if (role === ended) {
      this.periodEndsAt = now + durationMs;
      return;
    }
    this.nextDuration = durationMs;
    this.switchTo(role, now, durationMs);
  }

  protected override policyWakeAt(): Millis | null {
    return this.periodEndsAt;
  }
}

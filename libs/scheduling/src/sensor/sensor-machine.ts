import { addressOf, type Address, type NodeId } from '../core/address.js';
import { emit, send, type Effect } from '../core/effects.js';
import { earliest, type SchedulerMachine } from '../core/machine.js';
import type { DenyReason, SchedulerMessage, SlotRelease, SlotRequest } from '../core/messages.js';
import type { Millis } from '../core/time.js';
import type { SensorLock } from './sensor-lock.js';

export interface SensorSettings {
  readonly lockMs: Millis;
  /** Expected length of one event: a busy sensor tells monitors to come back after it. */
  readonly eventMs: Millis;
}

/**
 * What every sensor does whatever the algorithm: deny while not in sensor role, hold at
 * most one lock, release it only for the holder's token, let it lapse when the holder
 * vanishes, and tell the controller when it has drained after standing down.
 *
 * Subclasses decide which request wins (`arbitrate`) and may keep requests waiting.
 */
export abstract class SensorMachine implements SchedulerMachine {
  readonly address: Address;
  protected out: Effect[] = [];
  protected active = false;
  private epoch = 0;
  private idleOwed = false;
  /** When the controller expects this sensor back (from the stand-down command). */
  private backAt: Millis | null = null;
  protected lock: SensorLock | null = null;
  /** Monotonic per sensor; the services take it from Redis INCR instead. */
  private fencingCounter = 0;

  constructor(
    readonly node: NodeId,
    protected readonly settings: SensorSettings,
  ) {
    this.address = addressOf(node, 'sensor');
  }

  get isActive(): boolean {
    return this.active;
  }

  get currentLock(): SensorLock | null {
    return this.lock;
  }

  start(_now: Millis): Effect[] {
    return [];
  }

  receive(from: Address, message: SchedulerMessage, now: Millis): Effect[] {
    this.out = [];
    switch (message.type) {
      case 'slot-request':
        this.onRequest(message, now);
        break;
      case 'slot-release':
        this.onRelease(message, now);
        break;
      case 'role':
        if (from.module === 'controller' && from.node === this.node) {
          this.backAt = message.backInMs === undefined ? null : now + message.backInMs;
          this.onRole(message.active, message.epoch, now);
        }
        break;
      default:
        this.onOtherMessage(from, message, now);
    }
    return this.out;
  }

  wake(now: Millis): Effect[] {
    this.out = [];
    if (this.lock && now >= this.lock.until) {
      const expired = this.lock;
      this.lock = null;
      this.out.push(
        emit({
          type: 'lease-expired',
          sensor: this.node,
          monitor: expired.holder,
          fencingToken: expired.fencingToken,
        }),
      );
      this.onLockEnded(now, 'expired');
    }
    this.onWake(now);
    return this.out;
  }

  nextWakeAt(): Millis | null {
    return earliest(this.lock?.until, this.policyWakeAt());
  }

  // ---- hooks for the arbitration policy ----------------------------------------------

  /** A free, active sensor got a request: grant, deny or keep it. */
  protected abstract arbitrate(request: SlotRequest, now: Millis): void;
  /** The sensor became active (sensor role started). */
  protected onActivated(_now: Millis): void {}
  /** The sensor stood down: policies deny what they kept. */
  protected onDeactivated(_now: Millis): void {}
  /** Request arrived while the sensor is not active; default is to deny it, saying when to come back. */
  protected onRequestWhileInactive(request: SlotRequest, now: Millis): void {
    this.deny(
      request,
      'not-sensor',
      this.backAt === null ? undefined : Math.max(0, this.backAt - now),
    );
  }
  /** Request arrived while another monitor holds the lock: busy, come back when its event should end. */
  protected onRequestWhileLocked(request: SlotRequest, now: Millis): void {
    const lock = this.lock;
    const expectedEnd = lock ? lock.grantedAt + this.settings.eventMs : now;
    this.deny(request, 'busy', Math.max(0, expectedEnd - now));
  }
  /** The lock was released or lapsed while the sensor is active. */
  protected onFreeAgain(_now: Millis, _why: 'released' | 'expired'): void {}
  protected onWake(_now: Millis): void {}
  protected policyWakeAt(): Millis | null {
    return null;
  }
  protected onOtherMessage(_from: Address, _message: SchedulerMessage, _now: Millis): void {}

  // ---- shared mechanics ----------------------------------------------------------------

  protected grant(request: SlotRequest, now: Millis): void {
    this.fencingCounter += 1;
    this.lock = {
      holder: request.monitor,
      requestId: request.requestId,
      attempt: request.attempt,
      grantedAt: now,
      fencingToken: this.fencingCounter,
      until: now + this.settings.lockMs,
    };
    this.sendGrant(this.lock);
    this.out.push(
      emit({
        type: 'slot-granted',
        sensor: this.node,
        monitor: request.monitor,
        fencingToken: this.fencingCounter,
      }),
    );
  }

  protected deny(request: SlotRequest, reason: DenyReason, retryAfterMs?: number): void {
    this.out.push(
      send(addressOf(request.monitor, 'monitor'), {
        type: 'slot-deny',
        requestId: request.requestId,
        sensor: this.node,
        reason,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      }),
    );
    this.out.push(
      emit({ type: 'slot-denied', sensor: this.node, monitor: request.monitor, reason }),
    );
  }

  private sendGrant(lock: SensorLock): void {
    this.out.push(
      send(addressOf(lock.holder, 'monitor'), {
        type: 'slot-grant',
        requestId: lock.requestId,
        sensor: this.node,
        fencingToken: lock.fencingToken,
        leaseMs: this.settings.lockMs,
        attempt: lock.attempt,
      }),
    );
  }

  private onRequest(request: SlotRequest, now: Millis): void {
    // A retried request whose grant was lost: answer again with the same lock, never a new one.
    if (this.lock && this.lock.requestId === request.requestId) {
      this.sendGrant(this.lock);
      return;
    }
    if (!this.active) return this.onRequestWhileInactive(request, now);
    if (this.lock) return this.onRequestWhileLocked(request, now);
    this.arbitrate(request, now);
  }

  private onRelease(release: SlotRelease, now: Millis): void {
    const lock = this.lock;
    if (!lock || lock.requestId !== release.requestId || lock.fencingToken !== release.fencingToken)
      return;
    this.lock = null;
    this.onLockEnded(now, 'released');
  }

  private onLockEnded(now: Millis, why: 'released' | 'expired'): void {
    if (this.active) this.onFreeAgain(now, why);
    else this.reportIdleIfOwed();
  }

  private onRole(active: boolean, epoch: number, now: Millis): void {
    this.epoch = epoch;
    if (active) {
      this.idleOwed = false;
      if (!this.active) {
        this.active = true;
        this.onActivated(now);
      }
      return;
    }
    if (this.active) {
      this.active = false;
      this.onDeactivated(now);
    }
    this.idleOwed = true;
    this.reportIdleIfOwed();
  }

  private reportIdleIfOwed(): void {
    if (!this.idleOwed || this.lock) return;
    this.idleOwed = false;
    this.out.push(
      send(addressOf(this.node, 'controller'), {
        type: 'module-idle',
        module: 'sensor',
        epoch: this.epoch,
      }),
    );
  }
}

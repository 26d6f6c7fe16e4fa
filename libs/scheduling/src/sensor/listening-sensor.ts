import type { SlotRequest } from '../core/messages.js';
import type { Millis } from '../core/time.js';
import { SensorMachine, type SensorSettings } from './sensor-machine.js';

export interface ListeningSensorSettings extends SensorSettings {
  readonly listeningMs: Millis;
}

/**
 * CPS sensor (thesis 6.3.1.1). A listening period starts when the sensor role starts and
 * after every event. During it only the highest-priority request is kept and every lower
 * one is denied at once; at its end the kept request is granted. A request that arrives
 * after a quiet listening period is granted at once.
 */
export class ListeningSensor extends SensorMachine {
  private listeningUntil: Millis | null = null;
  private kept: SlotRequest | null = null;

  constructor(
    node: string,
    protected override readonly settings: ListeningSensorSettings,
  ) {
    super(node, settings);
  }

  get keptRequest(): SlotRequest | null {
    return this.kept;
  }

  protected arbitrate(request: SlotRequest, now: Millis): void {
    if (this.listeningUntil === null || now >= this.listeningUntil) {
      this.listeningUntil = null;
      return this.grant(request, now);
    }
    if (this.kept === null) {
      this.kept = request;
      return;
    }
    if (this.kept.requestId === request.requestId) return;
    // Ties keep the earlier request: replacing it would only add a round trip.
    // The loser may come back once the winner's event should be over.
    const retryAfterMs = this.listeningUntil - now + this.settings.eventMs;
    if (request.priority > this.kept.priority) {
      this.deny(this.kept, 'lower-priority', retryAfterMs);
      this.kept = request;
    } else {
      this.deny(request, 'lower-priority', retryAfterMs);
    }
  }

  protected override onActivated(now: Millis): void {
    this.startListening(now);
  }

  protected override onDeactivated(): void {
    if (this.kept) this.deny(this.kept, 'not-sensor');
    this.kept = null;
    this.listeningUntil = null;
  }

  protected override onFreeAgain(now: Millis): void {
    this.startListening(now);
  }

  protected override onWake(now: Millis): void {
    if (this.listeningUntil === null || now < this.listeningUntil) return;
    this.listeningUntil = null;
    const kept = this.kept;
    this.kept = null;
    if (kept && this.active && !this.lock) this.grant(kept, now);
  }

  protected override policyWakeAt(): Millis | null {
    return this.listeningUntil;
  }

  private startListening(now: Millis): void {
    this.kept = null;
    this.listeningUntil = now + this.settings.listeningMs;
  }
}

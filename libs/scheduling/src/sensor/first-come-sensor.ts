import type { SlotRequest } from '../core/messages.js';
import type { Millis } from '../core/time.js';
import { SensorMachine } from './sensor-machine.js';

/** CRS and Round Robin: a free sensor accepts the first request it gets (thesis 6.2, step 3). */
export class FirstComeSensor extends SensorMachine {
  protected arbitrate(request: SlotRequest, now: Millis): void {
    this.grant(request, now);
  }
}

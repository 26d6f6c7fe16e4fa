import type { NodeId } from '../core/address.js';
import type { Millis } from '../core/time.js';

/** The one grant a sensor may have outstanding. In the services this is a Redis lease. */
export interface SensorLock {
  readonly holder: NodeId;
  readonly requestId: string;
  /** The request copy that was granted; re-sent grants echo it. */
  readonly attempt: number;
  readonly fencingToken: number;
  readonly grantedAt: Millis;
  readonly until: Millis;
}

import { fenceKey, leaseKey } from '@meshmon/contracts';

/** The two keys of one sensor's lease, as libs/contracts builds every Redis key. */
export interface LeaseKeys {
  /** `<token>|<holder>` with a PX expiry; absent when the sensor is free. */
  readonly lease: string;
  /**
   * The INCR counter behind the fencing tokens. It never expires and is never deleted while the
   * cluster runs; should it vanish all the same (Redis restarted without its data), the next
   * token starts again from Redis's clock in milliseconds, above the old ones (ACQUIRE_SCRIPT).
   */
  readonly fence: string;
}

export function leaseKeys(keyPrefix: string, sensor: string): LeaseKeys {
  return { lease: leaseKey(keyPrefix, sensor), fence: fenceKey(keyPrefix, sensor) };
}

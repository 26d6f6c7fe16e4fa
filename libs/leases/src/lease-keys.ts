/** The two keys of one sensor's lease. Every key this library touches is built here. */
export interface LeaseKeys {
  /** `<token>|<holder>` with a PX expiry; absent when the sensor is free. */
  readonly lease: string;
  /**
   * The INCR counter behind the fencing tokens. It never expires and is never deleted while the
   * cluster runs: resetting it would hand out tokens that old results already carry.
   */
  readonly fence: string;
}

export function leaseKeys(keyPrefix: string, sensor: string): LeaseKeys {
  return { lease: `${keyPrefix}:lease:${sensor}`, fence: `${keyPrefix}:fence:${sensor}` };
}

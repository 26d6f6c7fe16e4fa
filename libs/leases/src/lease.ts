/**
 * One holder's exclusive right to use a sensor until the lease expires.
 *
 * `token` is the fencing token: it grows with every acquisition of the sensor and never
 * repeats, so it travels with the measurement and its result, and a resource can tell a
 * current holder from one that paused past its lease (see `SensorLeases.isCurrent`).
 */
export interface Lease {
  readonly sensor: string;
  /** Unique per acquisition, e.g. `n1/monitor/<measurementId>`. */
  readonly holder: string;
  readonly token: number;
  /** Milliseconds the lease had left when Redis answered (for a fresh lease: the ttl granted). */
  readonly ttlMs: number;
}

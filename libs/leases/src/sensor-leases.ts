import type { Redis } from 'ioredis';
import { LeaseInputError, LeaseStoreError } from './lease-errors.js';
import {
  requireHolder,
  requireLease,
  requirePositiveInteger,
  requireSensor,
  show,
} from './lease-input.js';
import { leaseKeys, type LeaseKeys } from './lease-keys.js';
import { parseFlagReply, parseGrantReply, parseReadReply } from './lease-replies.js';
import {
  ACQUIRE_SCRIPT,
  EXTEND_SCRIPT,
  READ_SCRIPT,
  RELEASE_SCRIPT,
  WITHDRAW_SCRIPT,
} from './lease-scripts.js';
import { formatLeaseValue, parseLeaseValue } from './lease-value.js';
import type { Lease } from './lease.js';
import { messageOf, redisCall } from './redis-call.js';

export interface SensorLeasesOptions {
  /** Prefix of every key, e.g. `meshmon:<cluster>`. */
  readonly keyPrefix: string;
  /**
   * How long one Redis round trip may take before the store counts as unreachable (default
   * 2000 ms). The client may be shared, so this is enforced here rather than by its
   * `commandTimeout`.
   */
  readonly commandTimeoutMs?: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

/**
 * Exclusive, expiring leases on sensors, kept in Redis, with fencing tokens.
 *
 * Keys (see `leaseKeys`): `<keyPrefix>:lease:<sensor>` holds `<token>|<holder>` with a PX
 * expiry; `<keyPrefix>:fence:<sensor>` is the INCR counter the tokens come from. Extend and
 * release compare the whole `<token>|<holder>` inside a Lua script, so a holder whose lease
 * expired (and was taken by someone else) can change nothing.
 *
 * An expired lease does not stop its holder's process: one that paused (GC, swapped out, a
 * slow disk) may still believe it holds the sensor. The fencing token is what protects the
 * sensor then: the resource calls `isCurrent` with the token a request carries and refuses
 * it unless that token is the one on the lease now.
 *
 * Errors: bad arguments throw `LeaseInputError` before Redis is touched; Redis failures and
 * timeouts throw `LeaseStoreError`. `false` or `null` always means a verdict from Redis.
 */
export class SensorLeases {
  private readonly keyPrefix: string;
  private readonly commandTimeoutMs: number;

  constructor(
    private readonly redis: Redis,
    options: SensorLeasesOptions,
  ) {
    if (typeof options?.keyPrefix !== 'string' || !/^\S+$/.test(options.keyPrefix)) {
      throw new LeaseInputError(
        `keyPrefix: must be a non-empty string without whitespace, got ${show(options?.keyPrefix)}`,
      );
    }
    this.keyPrefix = options.keyPrefix;
    this.commandTimeoutMs = requirePositiveInteger(
      'commandTimeoutMs',
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    );
  }

  /**
   * Takes the sensor's lease for `ttlMs` with a fresh fencing token, or returns null when
   * someone else holds it.
   *
   * A failed or timed-out call is not taken as "not acquired": the script may have run and
   * only its reply been lost (ioredis even resends such a command after reconnecting). So the
   * lease is read back, and if it holds our holder it is ours. Only when Redis cannot be read
   * either does this throw `LeaseStoreError`; the acquire may then still reach Redis later,
   * so it is withdrawn (see `withdraw`).
   */
  async acquire(sensor: string, holder: string, ttlMs: number): Promise<Lease | null> {
    requireSensor(sensor);
    requireHolder(holder);
    requirePositiveInteger('ttlMs', ttlMs);
    const keys = this.keysOf(sensor);
    let reply: unknown;
    try {
      reply = await this.send(
        `acquire ${sensor} for ${holder}`,
        this.redis.eval(ACQUIRE_SCRIPT, 2, keys.lease, keys.fence, holder, ttlMs),
      );
    } catch (error) {
      return this.recoverAcquire(sensor, holder, ttlMs, error as LeaseStoreError);
    }
    const granted = parseGrantReply(keys.lease, reply);
    return granted && { sensor, holder, token: granted.token, ttlMs: granted.ttlMs };
  }

  /**
   * Sets the lease to expire `ttlMs` from now if it is still this one (same holder and token).
   * False when it expired or passed to someone else: the holder must stop using the sensor.
   * A resend after a lost reply repeats the PEXPIRE, which is harmless.
   */
  async extend(lease: Lease, ttlMs: number): Promise<boolean> {
    requireLease(lease);
    requirePositiveInteger('ttlMs', ttlMs);
    const key = this.keysOf(lease.sensor).lease;
    const expected = formatLeaseValue(lease.token, lease.holder);
    const reply = await this.send(
      `extend ${lease.sensor} for ${lease.holder}`,
      this.redis.eval(EXTEND_SCRIPT, 1, key, expected, ttlMs),
    );
    return parseFlagReply(key, 'extend', reply);
  }

  /**
   * Frees the sensor if the lease is still this one; false when it was not (it had expired,
   * maybe been taken). A resent release whose first copy already deleted the key also answers
   * false: either way the lease is no longer ours.
   */
  async release(lease: Lease): Promise<boolean> {
    requireLease(lease);
    const key = this.keysOf(lease.sensor).lease;
    const expected = formatLeaseValue(lease.token, lease.holder);
    const reply = await this.send(
      `release ${lease.sensor} for ${lease.holder}`,
      this.redis.eval(RELEASE_SCRIPT, 1, key, expected),
    );
    return parseFlagReply(key, 'release', reply);
  }

  /** The sensor's lease now, with the milliseconds it has left; null when the sensor is free. */
  async current(sensor: string): Promise<Lease | null> {
    requireSensor(sensor);
    const key = this.keysOf(sensor).lease;
    const reply = await this.send(`read ${sensor}`, this.redis.eval(READ_SCRIPT, 1, key));
    const read = parseReadReply(key, reply);
    if (!read) return null;
    const { token, holder } = parseLeaseValue(key, read.value);
    return { sensor, holder, token, ttlMs: read.ttlMs };
  }

  /**
   * The fencing check a resource makes before serving a request: true only if `holder` holds
   * the sensor's lease now, under `token`. A `LeaseStoreError` means "unknown", and the
   * resource must then refuse as it would for false.
   */
  async isCurrent(sensor: string, holder: string, token: number): Promise<boolean> {
    requireSensor(sensor);
    requireHolder(holder);
    requirePositiveInteger('token', token);
    const key = this.keysOf(sensor).lease;
    const value = await this.send(`check ${sensor} for ${holder}`, this.redis.get(key));
    return value === formatLeaseValue(token, holder);
  }

  /** The acquire's reply is missing; decide from what Redis holds now. */
  private async recoverAcquire(
    sensor: string,
    holder: string,
    ttlMs: number,
    failure: LeaseStoreError,
  ): Promise<Lease | null> {
    let found: Lease | null;
    try {
      // ioredis sends the commands of one client in order, resends included, so when this read
      // answers, the lost acquire has either run before it or will never run.
      found = await this.current(sensor);
    } catch (readError) {
      this.withdraw(sensor, holder);
      throw new LeaseStoreError(
        `${failure.message}; reading the lease back failed too (${messageOf(readError)}), ` +
          `so the outcome is unknown and the acquire is withdrawn (a lease it made lapses within ${ttlMs} ms anyway)`,
        { cause: failure },
      );
    }
    if (found?.holder === holder) return found;
    // Someone else holds it: whatever happened to our attempt, the answer is a deny.
    if (found) return null;
    throw new LeaseStoreError(`${failure.message}; the sensor is free, so it was not acquired`, {
      cause: failure,
    });
  }

  /**
   * Deletes the lease if `holder` has it. Not awaited and allowed to fail: it runs when Redis is
   * unreachable. Queued behind the lost acquire on the same client, it reaches Redis after that
   * acquire if the acquire ever does, so an orphaned lease lives no longer than the outage (no
   * caller holds it; it only keeps others off the sensor). If ioredis drops both, there is
   * nothing to take back.
   */
  private withdraw(sensor: string, holder: string): void {
    this.redis.eval(WITHDRAW_SCRIPT, 1, this.keysOf(sensor).lease, holder).catch(() => {
      // Expected while Redis is down; any lease the lost acquire made still expires by itself.
    });
  }

  private keysOf(sensor: string): LeaseKeys {
    return leaseKeys(this.keyPrefix, sensor);
  }

  /** One round trip, bounded by `commandTimeoutMs`, with every failure as a LeaseStoreError. */
  private send<T>(what: string, command: Promise<T>): Promise<T> {
    return redisCall(what, command, this.commandTimeoutMs);
  }
}

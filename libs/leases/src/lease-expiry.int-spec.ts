import type { Redis } from 'ioredis';
import { connectRedis } from './connect-redis.js';
import type { Lease } from './lease.js';
import { SensorLeases } from './sensor-leases.js';
import {
  deleteKeysUnder,
  elapse,
  eventually,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
  testRedisLogin,
} from './testing/test-redis.js';

const SHORT_TTL = 150;

describe(`${SensorLeases.name} expiry`, () => {
  let redis: Redis;
  let keyPrefix: string;
  let sut: SensorLeases;

  beforeAll(async () => {
    redis = await connectRedis(TEST_REDIS_URL, testRedisLogin());
  });
  beforeEach(() => {
    keyPrefix = uniqueKeyPrefix();
    sut = new SensorLeases(redis, { keyPrefix });
  });
  afterEach(() => deleteKeysUnder(redis, keyPrefix));
  afterAll(() => redis.quit());

  /** Acquires for `holder` as soon as the sensor is free (bounded). */
  const acquireWhenFree = (holder: string): Promise<Lease> =>
    eventually(`${holder} acquires s1`, () => sut.acquire('s1', holder, 10_000));

  it('leases - frees the sensor once the ttl passes, for another holder with a higher token', async () => {
    const started = Date.now();
    const first = await sut.acquire('s1', 'n1/monitor/m1', SHORT_TTL);
    if (!first) throw new Error('denied');
    expect(await sut.acquire('s1', 'n2/monitor/m2', 10_000)).toBeNull();

    const second = await acquireWhenFree('n2/monitor/m2');

    // The lease was set after `started`, so it cannot have lapsed sooner (2 ms for rounding).
    expect(Date.now() - started).toBeGreaterThanOrEqual(SHORT_TTL - 2);
    expect(second.token).toBeGreaterThan(first.token);
  });

  it('leases - a holder that paused past its lease can no longer extend, release or pass the fence', async () => {
    const paused = await sut.acquire('s1', 'n1/monitor/m1', SHORT_TTL);
    if (!paused) throw new Error('denied');
    // The holder stops here (GC, swapped out) while its lease runs out and another takes it.
    const successor = await acquireWhenFree('n2/monitor/m2');

    // ... and then wakes up believing it still holds the sensor.
    expect(await sut.extend(paused, 10_000)).toBe(false);
    expect(await sut.release(paused)).toBe(false);
    expect(await sut.isCurrent('s1', paused.holder, paused.token)).toBe(false);
    expect(await sut.isCurrent('s1', successor.holder, successor.token)).toBe(true);
    expect(await sut.current('s1')).toEqual(
      expect.objectContaining({ holder: 'n2/monitor/m2', token: successor.token }),
    );
  });

  it('leases - an extended lease outlives its first ttl', async () => {
    const lease = await sut.acquire('s1', 'n1/monitor/m1', SHORT_TTL);
    if (!lease) throw new Error('denied');
    expect(await sut.extend(lease, 5000)).toBe(true);

    await elapse(3 * SHORT_TTL);

    expect(await sut.isCurrent('s1', lease.holder, lease.token)).toBe(true);
  });
});

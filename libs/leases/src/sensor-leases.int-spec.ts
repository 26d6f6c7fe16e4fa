import type { Redis } from 'ioredis';
import { connectRedis } from './connect-redis.js';
import { SensorLeases } from './sensor-leases.js';
import {
  deleteKeysUnder,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
  testRedisLogin,
} from './testing/test-redis.js';

const TTL = 10_000;

describe(SensorLeases.name, () => {
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

  it('leases - stores "<token>|<holder>" with a PX expiry under the documented keys', async () => {
    const lease = await sut.acquire('s1', 'n1/monitor/m1', TTL);

    expect(lease).toEqual({
      sensor: 's1',
      holder: 'n1/monitor/m1',
      token: expect.any(Number),
      ttlMs: TTL,
    });
    expect(await redis.get(`${keyPrefix}:lease:s1`)).toBe(`${lease!.token}|n1/monitor/m1`);
    expect(await redis.get(`${keyPrefix}:fence:s1`)).toBe(String(lease!.token));
    const pttl = await redis.pttl(`${keyPrefix}:lease:s1`);
    expect(pttl).toBeGreaterThan(TTL - 1000);
    expect(pttl).toBeLessThanOrEqual(TTL);
  });

  it('leases - denies a second holder while the lease is held, and keeps the first', async () => {
    const first = await sut.acquire('s1', 'n1/monitor/m1', TTL);

    expect(await sut.acquire('s1', 'n2/monitor/m2', TTL)).toBeNull();
    expect(await sut.current('s1')).toEqual(
      expect.objectContaining({ holder: 'n1/monitor/m1', token: first?.token }),
    );
  });

  it('leases - consumes no token on a deny', async () => {
    const first = await sut.acquire('s1', 'n1/monitor/m1', TTL);
    await sut.acquire('s1', 'n2/monitor/m2', TTL);
    await sut.acquire('s1', 'n3/monitor/m3', TTL);

    expect(await redis.get(`${keyPrefix}:fence:s1`)).toBe(String(first?.token));
  });

  it('leases - hands out strictly increasing tokens across acquisitions', async () => {
    const tokens: number[] = [];
    for (let i = 0; i < 5; i++) {
      const lease = await sut.acquire('s1', `n${i}/monitor/m${i}`, TTL);
      if (!lease) throw new Error(`acquisition ${i} was denied`);
      tokens.push(lease.token);
      expect(await sut.release(lease)).toBe(true);
    }

    // The first from Redis's clock in ms (this machine's clock here), then one up each time.
    expect(Math.abs(tokens[0] - Date.now())).toBeLessThan(60_000);
    expect(tokens).toEqual([0, 1, 2, 3, 4].map((step) => tokens[0] + step));
  });

  it('leases - keeps each sensor to its own lease and its own tokens', async () => {
    const first = await sut.acquire('s1', 'n1/monitor/m1', TTL);
    await sut.release(first!);
    const second = await sut.acquire('s1', 'n1/monitor/m2', TTL);
    const onS2 = await sut.acquire('s2', 'n1/monitor/m3', TTL);

    expect(second?.token).toBe(first!.token + 1);
    expect(await redis.get(`${keyPrefix}:fence:s1`)).toBe(String(second?.token));
    expect(await redis.get(`${keyPrefix}:fence:s2`)).toBe(String(onS2?.token));
  });

  it('leases - tokens keep growing when the counter is gone (a Redis restarted without its data)', async () => {
    const tokens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const lease = await sut.acquire('s1', `n${i}/monitor/m${i}`, TTL);
      tokens.push(lease!.token);
      await sut.release(lease!);
    }
    // What a restart without persistence leaves: no lease, no counter.
    await redis.del(`${keyPrefix}:fence:s1`);
    await new Promise((resolve) => setTimeout(resolve, 5));

    const after = await sut.acquire('s1', 'n9/monitor/m9', TTL);

    expect(after!.token).toBeGreaterThan(Math.max(...tokens));
  });

  it('leases - answers a repeated acquire by the same holder with the same lease', async () => {
    // What ioredis does after a lost reply: it sends the same acquire again.
    const first = await sut.acquire('s1', 'n1/monitor/m1', TTL);
    const again = await sut.acquire('s1', 'n1/monitor/m1', TTL);

    expect(again).toEqual(
      expect.objectContaining({ holder: 'n1/monitor/m1', token: first?.token }),
    );
    expect(await redis.get(`${keyPrefix}:fence:s1`)).toBe(String(first?.token));
  });

  it('leases - reports the current holder with the time it has left, or null', async () => {
    expect(await sut.current('s1')).toBeNull();
    const lease = await sut.acquire('s1', 'n1/monitor/m1', TTL);

    const current = await sut.current('s1');

    expect(current).toEqual(
      expect.objectContaining({ sensor: 's1', holder: 'n1/monitor/m1', token: lease!.token }),
    );
    expect(current?.ttlMs).toBeGreaterThan(TTL - 1000);
    expect(current?.ttlMs).toBeLessThanOrEqual(TTL);
  });

  it('leases - refuses a release by another holder and leaves the lease in place', async () => {
    const lease = await sut.acquire('s1', 'n1/monitor/m1', TTL);
    if (!lease) throw new Error('denied');

    expect(await sut.release({ ...lease, holder: 'n2/monitor/m2' })).toBe(false);
    expect((await sut.current('s1'))?.holder).toBe('n1/monitor/m1');
  });

  it('leases - refuses a release with a stale token and leaves the lease in place', async () => {
    const old = await sut.acquire('s1', 'n1/monitor/m1', TTL);
    if (!old) throw new Error('denied');
    await sut.release(old);
    const lease = await sut.acquire('s1', 'n1/monitor/m2', TTL);
    if (!lease) throw new Error('denied');

    expect(await sut.release({ ...lease, token: old.token })).toBe(false);
    expect(await sut.release(old)).toBe(false);
    expect((await sut.current('s1'))?.token).toBe(lease.token);
    expect(await sut.release(lease)).toBe(true);
    expect(await sut.current('s1')).toBeNull();
  });

  it('leases - extends for the holder and for nobody else', async () => {
    const lease = await sut.acquire('s1', 'n1/monitor/m1', 1000);
    if (!lease) throw new Error('denied');

    expect(await sut.extend(lease, 60_000)).toBe(true);
    expect(await redis.pttl(`${keyPrefix}:lease:s1`)).toBeGreaterThan(50_000);
    expect(await sut.extend({ ...lease, holder: 'n2/monitor/m2' }, 120_000)).toBe(false);
    expect(await sut.extend({ ...lease, token: lease.token + 1 }, 120_000)).toBe(false);
    expect(await redis.pttl(`${keyPrefix}:lease:s1`)).toBeLessThanOrEqual(60_000);
  });

  it('leases - confirms only the current holder under its own token', async () => {
    const lease = await sut.acquire('s1', 'n1/monitor/m1', TTL);
    if (!lease) throw new Error('denied');

    expect(await sut.isCurrent('s1', 'n1/monitor/m1', lease.token)).toBe(true);
    expect(await sut.isCurrent('s1', 'n1/monitor/m1', lease.token + 1)).toBe(false);
    expect(await sut.isCurrent('s1', 'n2/monitor/m2', lease.token)).toBe(false);
    expect(await sut.isCurrent('s2', 'n1/monitor/m1', lease.token)).toBe(false);
  });
});

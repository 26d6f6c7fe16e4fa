import type { Redis } from 'ioredis';
import { connectRedis, requireRedisUrl } from './connect-redis.js';
import { LeaseInputError } from './lease-errors.js';
import type { Lease } from './lease.js';
import { SensorLeases } from './sensor-leases.js';

/** A Redis client that fails the test on any use: input checks must come first. */
const untouchable = new Proxy({} as Redis, {
  get(_target, property) {
    throw new Error(`Redis touched: ${String(property)}`);
  },
});

const LEASE: Lease = { sensor: 's1', holder: 'n1/monitor/m1', token: 1, ttlMs: 1000 };

describe(SensorLeases.name, () => {
  let sut: SensorLeases;

  beforeEach(() => {
    sut = new SensorLeases(untouchable, { keyPrefix: 'meshmon:c1' });
  });

  it('leases - refuses a key prefix that is empty or has whitespace', () => {
    expect(() => new SensorLeases(untouchable, { keyPrefix: '' })).toThrow(
      new LeaseInputError('keyPrefix: must be a non-empty string without whitespace, got ""'),
    );
    expect(() => new SensorLeases(untouchable, { keyPrefix: 'meshmon c1' })).toThrow(
      LeaseInputError,
    );
  });

  it('leases - refuses a command timeout that is not an integer >= 1', () => {
    expect(
      () => new SensorLeases(untouchable, { keyPrefix: 'meshmon:c1', commandTimeoutMs: 0 }),
    ).toThrow('commandTimeoutMs: must be an integer >= 1, got 0');
  });

  it('leases - checks acquire arguments before touching Redis', async () => {
    await expect(sut.acquire('', 'n1/monitor/m1', 1000)).rejects.toThrow(/^sensor: /);
    await expect(sut.acquire('s1', 'n1|m1', 1000)).rejects.toThrow(/^holder: /);
    await expect(sut.acquire('s1', 'n1/monitor/m1', 0)).rejects.toThrow(
      'ttlMs: must be an integer >= 1, got 0',
    );
    await expect(sut.acquire('s1', 'n1/monitor/m1', 1.5)).rejects.toThrow(LeaseInputError);
  });

  it('leases - checks extend, release, current and isCurrent arguments before touching Redis', async () => {
    await expect(sut.extend(LEASE, -1)).rejects.toThrow(/^ttlMs: /);
    await expect(sut.extend({ ...LEASE, token: 0 }, 1000)).rejects.toThrow(/^token: /);
    await expect(sut.release({ ...LEASE, holder: '' })).rejects.toThrow(/^holder: /);
    await expect(sut.current('')).rejects.toThrow(/^sensor: /);
    await expect(sut.isCurrent('s1', 'n1/monitor/m1', 2.5)).rejects.toThrow(/^token: /);
  });
});

describe(connectRedis.name, () => {
  it('connect - refuses a URL that is not redis:// or rediss://, before connecting', async () => {
    await expect(connectRedis('http://127.0.0.1:6379')).rejects.toThrow(
      'url: must be a redis:// or rediss:// URL with a host, got "http://127.0.0.1:6379"',
    );
    await expect(connectRedis('127.0.0.1:6379')).rejects.toThrow(LeaseInputError);
    await expect(connectRedis('redis://127.0.0.1', { timeoutMs: 0 })).rejects.toThrow(
      /^timeoutMs: /,
    );
  });

  it('connect - shows URLs with the password hidden', () => {
    expect(requireRedisUrl('redis://:s3cret@10.0.0.5:6380/2')).toBe('redis://:***@10.0.0.5:6380/2');
    expect(requireRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(() => requireRedisUrl('redis//user:s3cret@host')).toThrow('got "redis//user:***@host"');
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { connectRedis } from './connect-redis.js';
import { ManualReservations } from './manual-reservations.js';
import {
  deleteKeysUnder,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
  testRedisLogin,
} from './testing/test-redis.js';

jest.setTimeout(20_000);

describe(ManualReservations.name, () => {
  let redis: Redis;
  let sut: ManualReservations;
  const prefix = uniqueKeyPrefix();

  beforeAll(async () => {
    redis = await connectRedis(TEST_REDIS_URL, testRedisLogin());
    sut = new ManualReservations(redis, prefix);
  });

  afterAll(async () => {
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
  });

  it('reservations - a node reserved by one holder is wanted for everybody else', async () => {
    await sut.reserve(['n1', 'n2'], 'n1/manual/1', 5000);

    expect(await sut.wantedBy(['n2', 'n3'])).toBe('n1/manual/1');
    expect(await sut.wantedBy(['n2'], 'n1/manual/1')).toBeNull();
    expect(await sut.wantedBy(['n3'])).toBeNull();
  });

  it('reservations - release drops only the holder`s own, and a reservation lapses by itself', async () => {
    await sut.reserve(['n4'], 'a', 5000);
    await sut.reserve(['n5'], 'b', 5000);
    await sut.release(['n4', 'n5'], 'a');
    expect(await sut.wantedBy(['n4'])).toBeNull();
    expect(await sut.wantedBy(['n5'])).toBe('b');

    await sut.reserve(['n6'], 'c', 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await sut.wantedBy(['n6'])).toBeNull();
  });
});

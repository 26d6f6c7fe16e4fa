import type { Redis } from 'ioredis';
import { connectRedis } from './connect-redis.js';
import { LeaseStoreError } from './lease-errors.js';
import { SensorLeases } from './sensor-leases.js';
import { FlakyTcpProxy } from '@meshmon/service-runtime/testing/flaky-tcp-proxy.js';
import { proxiedClient } from './testing/proxied-client.js';
import {
  deleteKeysUnder,
  TEST_REDIS_URL,
  testRedisAddress,
  uniqueKeyPrefix,
  testRedisLogin,
} from './testing/test-redis.js';

const TTL = 10_000;
const HOLDER = 'n1/monitor/m1';

// Redis runs a command, and its reply never reaches the client. The lease must not be
// mistaken for someone else's, nor left behind unowned.
describe(`${SensorLeases.name} lost replies`, () => {
  let direct: Redis;
  let proxy: FlakyTcpProxy;
  let keyPrefix: string;
  const clients: Redis[] = [];

  const leaseKey = (): string => `${keyPrefix}:lease:s1`;
  const fenceKey = (): string => `${keyPrefix}:fence:s1`;
  async function leasesThroughProxy(
    maxRetriesPerRequest: number,
    commandTimeoutMs?: number,
  ): Promise<{ sut: SensorLeases; client: Redis }> {
    const { client } = await proxiedClient(proxy, { maxRetriesPerRequest });
    clients.push(client);
    return { sut: new SensorLeases(client, { keyPrefix, commandTimeoutMs }), client };
  }

  beforeAll(async () => {
    direct = await connectRedis(TEST_REDIS_URL, testRedisLogin());
  });
  beforeEach(async () => {
    proxy = await FlakyTcpProxy.start(testRedisAddress());
    keyPrefix = uniqueKeyPrefix();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await proxy.close();
    await deleteKeysUnder(direct, keyPrefix);
  });
  afterAll(() => direct.quit());

  it('leases - an acquire that ioredis resends after a lost reply returns the lease it made', async () => {
    // One retry allowed: ioredis reconnects and sends the same EVAL again, which finds the key
    // already set. Without the script's own-holder check this would be a deny.
    const { sut } = await leasesThroughProxy(1);
    proxy.loseNextReply();

    const lease = await sut.acquire('s1', HOLDER, TTL);

    expect(proxy.lostReplies).toBe(1);
    expect(lease).toEqual({
      sensor: 's1',
      holder: HOLDER,
      token: expect.any(Number),
      ttlMs: expect.any(Number),
    });
    // One token consumed, not two: the resent EVAL found its own lease.
    expect(await direct.get(fenceKey())).toBe(String(lease!.token));
  });

  it('leases - an acquire that fails after it ran is recognised by reading the lease back', async () => {
    // No retries: ioredis rejects the EVAL when the connection drops, so only the read-back can
    // find out that the lease was made.
    const { sut } = await leasesThroughProxy(0);
    proxy.loseNextReply();

    const lease = await sut.acquire('s1', HOLDER, TTL);

    expect(proxy.lostReplies).toBe(1);
    expect(lease).toEqual(expect.objectContaining({ holder: HOLDER, token: expect.any(Number) }));
    expect(lease?.ttlMs).toBeLessThanOrEqual(TTL);
    expect(await direct.get(leaseKey())).toBe(`${lease!.token}|${HOLDER}`);
  });

  it('leases - a failed acquire whose read-back finds another holder is a deny', async () => {
    const { sut } = await leasesThroughProxy(0);
    await direct.set(leaseKey(), '7|n2/monitor/m2', 'PX', TTL);
    proxy.loseNextReply();

    expect(await sut.acquire('s1', HOLDER, TTL)).toBeNull();
  });

  it('leases - an acquire stuck in a hung connection fails, and is withdrawn when it arrives late', async () => {
    const { sut, client } = await leasesThroughProxy(1, 200);
    proxy.hold();

    const attempt = sut.acquire('s1', HOLDER, TTL);

    await expect(attempt).rejects.toThrow(LeaseStoreError);
    await expect(attempt).rejects.toThrow(/outcome is unknown/);
    expect(await direct.exists(leaseKey())).toBe(0);
    proxy.resume();
    // Replies come in order: once PING answers, the late acquire, the read-back and the
    // withdraw queued before it have all run.
    await client.ping();
    // The late acquire ran (its token was taken) and was then withdrawn.
    expect(await direct.exists(fenceKey())).toBe(1);
    expect(await direct.exists(leaseKey())).toBe(0);
  });
});

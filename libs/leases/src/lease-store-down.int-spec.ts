import { connectRedis } from './connect-redis.js';
import { LeaseStoreError } from './lease-errors.js';
import { SensorLeases } from './sensor-leases.js';
import { FlakyTcpProxy } from '@meshmon/service-runtime/testing/flaky-tcp-proxy.js';
import { proxiedClient } from './testing/proxied-client.js';
import { closedPort, testRedisAddress, uniqueKeyPrefix } from './testing/test-redis.js';

describe('Redis unreachable', () => {
  it('connect - fails within its bound, naming the URL and the refusal, when nothing listens', async () => {
    const port = await closedPort();
    const started = Date.now();

    const attempt = connectRedis(`redis://127.0.0.1:${port}`, { timeoutMs: 500 });

    await expect(attempt).rejects.toThrow(LeaseStoreError);
    await expect(attempt).rejects.toThrow(
      `Redis at redis://127.0.0.1:${port} not ready within 500 ms`,
    );
    await expect(attempt).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('connect - keeps the password out of the message', async () => {
    const port = await closedPort();

    const attempt = connectRedis(`redis://:s3cret@127.0.0.1:${port}`, { timeoutMs: 200 });

    await expect(attempt).rejects.toThrow(`redis://:***@127.0.0.1:${port}`);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it('leases - fail with a LeaseStoreError within the command timeout once Redis is gone', async () => {
    const proxy = await FlakyTcpProxy.start(testRedisAddress());
    const { client } = await proxiedClient(proxy);
    const sut = new SensorLeases(client, { keyPrefix: uniqueKeyPrefix(), commandTimeoutMs: 300 });
    try {
      await proxy.close();
      const started = Date.now();

      await expect(sut.acquire('s1', 'n1/monitor/m1', 10_000)).rejects.toThrow(
        /acquire s1 for n1\/monitor\/m1: Redis unreachable/,
      );
      await expect(sut.isCurrent('s1', 'n1/monitor/m1', 1)).rejects.toThrow(LeaseStoreError);
      await expect(sut.current('s1')).rejects.toThrow(LeaseStoreError);
      // acquire: the call and the read-back, each bounded by the command timeout.
      expect(Date.now() - started).toBeLessThan(3 * 300 + 500);
    } finally {
      client.disconnect();
    }
  });
});

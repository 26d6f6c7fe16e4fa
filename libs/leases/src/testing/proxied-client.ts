import type { Redis, RedisOptions } from 'ioredis';
import { connectRedis } from '../connect-redis.js';
import { developerRedisLogin } from '@meshmon/service-runtime/credentials/local-logins.js';
import type { FlakyTcpProxy } from '@meshmon/service-runtime/testing/flaky-tcp-proxy.js';

/**
 * A lease-store client that reaches Redis through `proxy`, reconnecting quickly. Connection
 * errors are collected in `errors` (the proxy causes them on purpose) instead of printed.
 */
export async function proxiedClient(
  proxy: FlakyTcpProxy,
  redis: RedisOptions = {},
): Promise<{ client: Redis; errors: Error[] }> {
  const client = await connectRedis(`redis://127.0.0.1:${proxy.port}`, {
    timeoutMs: 2000,
    redis: { retryStrategy: () => 20, ...developerRedisLogin(), ...redis },
  });
  const errors: Error[] = [];
  client.on('error', (error: Error) => errors.push(error));
  // Every handshake reply is in once PING answers, so the next command sent is the test's own.
  await client.ping();
  return { client, errors };
}

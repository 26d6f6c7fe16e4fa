import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { developerRedisLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

/** The Redis the integration tests use; the project's infra scripts start it on 127.0.0.1. */
export const TEST_REDIS_URL = process.env.MESHMON_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** connectRedis options that log in to it as the developer (where it has users). */
export const testRedisLogin = () => ({ redis: developerRedisLogin() });

export function testRedisAddress(): { host: string; port: number } {
  const url = new URL(TEST_REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

/** A key prefix no other test run shares, so runs can overlap on one Redis. */
export function uniqueKeyPrefix(): string {
  return `meshmon:test-leases-${randomBytes(4).toString('hex')}`;
}

export async function deleteKeysUnder(redis: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 100);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * Polls `probe` until it returns something other than null or false, and returns that; fails
 * naming `what` if that does not happen within `deadlineMs`.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | false>,
  deadlineMs = 2000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const result = await probe();
    if (result !== null && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await elapse(everyMs);
  }
}

/** Lets `ms` pass. Only for tests whose point is that time passes; wait for states with `eventually`. */
export function elapse(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A localhost port nothing listens on (free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

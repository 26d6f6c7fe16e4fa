import type { Redis } from 'ioredis';

/**
 * One line when a Redis client loses its server and one when it is back, not one per
 * retry. It also gives ioredis the `error` listener it needs: without one, ioredis
 * prints every failed reconnect to the console with a stack trace.
 */
export function logRedisStatus(
  redis: Redis,
  name: string,
  shownUrl: string,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    write(`${name}: Redis at ${shownUrl} unavailable (${error.message}); reconnecting`);
  });
  redis.on('ready', () => {
    if (down) write(`${name}: Redis at ${shownUrl} back`);
    down = false;
  });
}

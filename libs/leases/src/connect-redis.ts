import { Redis, type RedisOptions } from 'ioredis';
import { LeaseInputError, LeaseStoreError } from './lease-errors.js';
import { requirePositiveInteger } from './lease-input.js';

export interface ConnectRedisOptions {
  /** Bound on each TCP connect and on the whole wait until the client is ready (default 5000). */
  readonly timeoutMs?: number;
  /** Shown in `CLIENT LIST`, e.g. `meshmon-n1-sensor`. */
  readonly connectionName?: string;
  /** Further ioredis options; they win over the defaults chosen here. */
  readonly redis?: RedisOptions;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Opens an ioredis client for the lease store and waits until it is ready, at most
 * `timeoutMs`; otherwise rejects with a `LeaseStoreError` naming the URL (password hidden) and
 * the last connection error, and closes the client.
 *
 * The client keeps reconnecting after a loss (the service outlives a Redis restart), but a
 * command waits for at most one reconnect (`maxRetriesPerRequest: 1`) instead of ioredis'
 * 20, so callers hear of an outage in about a second. That one resend is safe for leases:
 * the acquire script recognises its own lease (see `ACQUIRE_SCRIPT`).
 *
 * Attach an `error` listener (the service's logger) to the returned client: without one,
 * ioredis prints every failed reconnect to the console.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  const shown = requireRedisUrl(url);
  const timeoutMs = requirePositiveInteger('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const client = new Redis(url, {
    ...clientOptions(timeoutMs, options.connectionName),
    ...options.redis,
  });
  try {
    await untilReady(client, timeoutMs);
    return client;
  } catch (error) {
    client.disconnect();
    throw new LeaseStoreError(
      `Redis at ${shown} not ready within ${timeoutMs} ms: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Opens a client that connects (and reconnects) in the background, for a service that
 * must serve while Redis is down (the gateway): a command fails at once while there is
 * no connection (no offline queue) and after `timeoutMs` when Redis does not answer, so
 * a caller can answer 503 instead of hanging.
 */
export function openRedis(url: string, options: ConnectRedisOptions = {}): Redis {
  requireRedisUrl(url);
  const timeoutMs = requirePositiveInteger('timeoutMs', options.timeoutMs ?? 2000);
  return new Redis(url, {
    ...clientOptions(timeoutMs, options.connectionName),
    enableOfflineQueue: false,
    commandTimeout: timeoutMs,
    ...options.redis,
  });
}

/** What both kinds of client share: a bounded connect, one resend, a short disconnect. */
function clientOptions(timeoutMs: number, connectionName: string | undefined): RedisOptions {
  return {
    lazyConnect: false,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    // disconnect() while reconnecting arms this timer for a socket that has already closed, so
    // nothing clears it and it holds the process open for its full length (ioredis#1247):
    // shutting down with Redis unreachable would take 2 s (the default) instead of 0.2.
    disconnectTimeout: 200,
    connectionName,
  };
}

/** Checks the URL and returns it with any password replaced, fit for messages and logs. */
export function requireRedisUrl(url: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch (_error) {
    parsed = undefined; // reported just below, with the rule
  }
  if (
    !parsed ||
    (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') ||
    !parsed.hostname
  ) {
    const got = typeof url === 'string' ? JSON.stringify(redact(url)) : typeof url;
    throw new LeaseInputError(`url: must be a redis:// or rediss:// URL with a host, got ${got}`);
  }
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Hides `:password@` in a string that did not parse as a URL. */
function redact(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}

function untilReady(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError = 'no answer';
    const onError = (error: Error): void => {
      lastError = error.message;
    };
    const onReady = (): void => settle(resolve);
    const onEnd = (): void => settle(() => reject(new Error(`connection ended (${lastError})`)));
    const timer = setTimeout(
      () => settle(() => reject(new Error(`last error: ${lastError}`))),
      timeoutMs,
    );
    const settle = (finish: () => void): void => {
      clearTimeout(timer);
      client.off('error', onError).off('ready', onReady).off('end', onEnd);
      finish();
    };
    client.on('error', onError).once('ready', onReady).once('end', onEnd);
  });
}

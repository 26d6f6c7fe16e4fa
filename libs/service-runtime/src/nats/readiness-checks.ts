import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import type { Problem } from '@meshmon/scheduling';
import { requireRedisUrl } from '@meshmon/leases';
import { dependencyProblem } from '../health/readiness.js';

/** NATS answers a round trip (a flush), checked live on every readiness probe. */
export function natsReadiness(connection: NatsConnection, url: string): () => Promise<Problem[]> {
  return async () => {
    if (connection.isClosed()) {
      return [{ field: 'MESHMON_NATS_URL', rule: `the connection to NATS at ${url} is closed` }];
    }
    return dependencyProblem('MESHMON_NATS_URL', `NATS at ${url}`, () => connection.flush());
  };
}

/**
 * Redis as the client sees it: ioredis reconnects on its own and says `ready` only
 * once it is, so its status is the answer (no extra round trip per probe).
 */
export function redisReadiness(redis: Redis, url: string): () => Promise<Problem[]> {
  const shown = requireRedisUrl(url);
  return async () =>
    redis.status === 'ready'
      ? []
      : [{ field: 'MESHMON_REDIS_URL', rule: `Redis at ${shown} is ${redis.status}` }];
}

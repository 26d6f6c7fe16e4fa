import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import type { Problem } from '@meshmon/scheduling';
import { requireRedisUrl } from '@meshmon/leases';
import { dependencyProblem } from '../health/readiness.js';
import * as SharedSettings from '../settings/shared-settings.js';

/** NATS answers a round trip (a flush), checked live on every readiness probe. */
export function natsReadiness(connection: NatsConnection, url: string): () => Promise<Problem[]> {
  return async () => {
    if (connection.isClosed()) {
      return [
        {
          field: SharedSettings.NATS_URL.variable,
          rule: `the connection to NATS at ${url} is closed`,
        },
      ];
    }
    return dependencyProblem(SharedSettings.NATS_URL.variable, `NATS at ${url}`, () =>
      connection.flush(),
    );
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
      : [
          {
            field: SharedSettings.REDIS_URL.variable,
            rule: `Redis at ${shown} is ${redis.status}`,
          },
        ];
}

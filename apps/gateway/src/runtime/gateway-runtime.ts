import { Logger } from '@nestjs/common';
import { InfluxDB } from 'influx';
import { Redis } from 'ioredis';
import type { NatsConnection } from '@nats-io/transport-node';
import { Subjects } from '@meshmon/contracts';
import { influxEndpoint } from '@meshmon/influx-store';
import { connectNats } from '@meshmon/service-runtime';
import type { GatewayConfig } from '../config/gateway-config.js';

/** The connections every feature shares; opened before Nest starts, closed after it stops. */
export interface GatewayRuntime {
  readonly config: GatewayConfig;
  readonly subjects: Subjects;
  readonly nats: NatsConnection;
  readonly redis: Redis;
  readonly influx: InfluxDB;
}

/**
 * NATS is required (the gateway's view and every command go through it), so boot waits
 * for it and fails naming the URL. Redis and InfluxDB are not: the gateway must serve
 * `/health/live` and the view while they are down, so their clients connect in the
 * background, and commands against them fail fast (no offline queue) with a 503.
 */
export async function openRuntime(config: GatewayConfig): Promise<GatewayRuntime> {
  const nats = await connectNats(config.natsUrl, `meshmon-gateway-${config.cluster}`);
  const redis = new Redis(config.redisUrl, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
    // See libs/leases connect-redis: keeps shutdown short while Redis is unreachable.
    disconnectTimeout: 200,
    connectionName: 'meshmon-gateway',
  });
  logRedisStatus(redis, config.redisUrl);
  const influx = new InfluxDB({
    ...influxEndpoint(config.influx.url),
    database: config.influx.database,
  });
  return { config, subjects: new Subjects(config.cluster), nats, redis, influx };
}

export async function closeRuntime(runtime: GatewayRuntime): Promise<void> {
  runtime.redis.disconnect();
  await runtime.nats.drain().catch((error: unknown) => {
    if (!runtime.nats.isClosed()) logger.error(`NATS drain failed: ${String(error)}`);
  });
}

const logger = new Logger('GatewayRuntime');

/** One line per change of state, not one per retry. */
function logRedisStatus(redis: Redis, url: string): void {
  const shown = new URL(url);
  shown.password = shown.password ? '***' : '';
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis at ${shown.href} unavailable (${error.message}); retrying`);
  });
  redis.on('ready', () => {
    if (down) logger.warn(`Redis at ${shown.href} is back`);
    down = false;
  });
}

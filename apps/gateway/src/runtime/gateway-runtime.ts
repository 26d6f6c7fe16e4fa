import { InfluxDB } from 'influx';
import type { Redis } from 'ioredis';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Subjects } from '@meshmon/contracts';
import { influxEndpoint } from '@meshmon/influx-store';
import type { EventPublisher, ServiceBase, ServiceMetrics } from '@meshmon/service-runtime';
import type { GatewayConfig } from '../config/gateway-config.js';

/** The connections every feature shares; opened before Nest starts, closed after it stops. */
export interface GatewayRuntime {
  readonly config: GatewayConfig;
  readonly subjects: Subjects;
  readonly nats: NatsConnection;
  readonly events: EventPublisher;
  readonly redis: Redis;
  readonly influx: InfluxDB;
  /** Its process and NATS and Redis client figures, as every service reports them. */
  readonly clientMetrics: ServiceMetrics;
}

/**
 * The service runtime's connections plus the gateway's InfluxDB client. NATS is
 * required (the view and every command go through it); Redis and InfluxDB are not: the
 * gateway serves `/health/live` and the view while they are down, and commands against
 * them fail fast with a 503 (Redis opened in the background, without an offline queue).
 */
export function gatewayRuntime(base: ServiceBase<GatewayConfig>): GatewayRuntime {
  if (base.redis === null) throw new Error('the gateway runs with a Redis client');
  const { config } = base;
  return {
    config,
    subjects: base.subjects,
    nats: base.connection,
    events: base.events,
    redis: base.redis,
    clientMetrics: base.metrics,
    influx: new InfluxDB({
      ...influxEndpoint(config.influx.url, config.influx.credentials),
      database: config.influx.database,
    }),
  };
}

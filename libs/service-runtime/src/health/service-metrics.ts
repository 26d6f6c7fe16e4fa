import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** A service's own Prometheus figures, as its health port serves them on `/metrics`. */
export interface ServiceMetrics {
  readonly contentType: string;
  text(): Promise<string>;
  stop(): void;
}

/**
 * Every Meshmon service's own metrics, the same way in every service (the runtime's): its
 * process (CPU, memory, event-loop lag, as prom-client measures them, prefixed
 * `meshmon_service_`), and its NATS and Redis client state, read when scraped. Labels
 * `service` and `node` say whose they are.
 */
export function serviceMetrics(options: {
  readonly service: string;
  readonly node: string;
  readonly connection: NatsConnection;
  readonly redis: Redis | null;
}): ServiceMetrics {
  const { service, node, connection, redis } = options;
  const registry = new Registry();
  registry.setDefaultLabels({ service, node });
  collectDefaultMetrics({ register: registry, prefix: 'meshmon_service_' });
  const registers = [registry];

  let connected = true;
  const reconnects = new Counter({
    name: 'meshmon_nats_reconnects_total',
    help: 'Times the NATS connection came back after it was lost',
    registers,
  });
  const disconnects = new Counter({
    name: 'meshmon_nats_disconnects_total',
    help: 'Times the NATS connection was lost',
    registers,
  });
  new Gauge({
    name: 'meshmon_nats_connected',
    help: 'Whether the NATS connection is up (1) or not (0)',
    registers,
    collect() {
      this.set(connected && !connection.isClosed() ? 1 : 0);
    },
  });
  const traffic = (name: string, help: string, read: () => number) => {
    let reported = 0;
    new Counter({
      name,
      help,
      registers,
      collect() {
        const now = read();
        if (now > reported) this.inc(now - reported);
        reported = Math.max(reported, now);
      },
    });
  };
  traffic(
    'meshmon_nats_messages_in_total',
    'Messages received over NATS',
    () => connection.stats().inMsgs,
  );
  traffic(
    'meshmon_nats_messages_out_total',
    'Messages sent over NATS',
    () => connection.stats().outMsgs,
  );
  traffic(
    'meshmon_nats_bytes_in_total',
    'Bytes received over NATS',
    () => connection.stats().inBytes,
  );
  traffic(
    'meshmon_nats_bytes_out_total',
    'Bytes sent over NATS',
    () => connection.stats().outBytes,
  );
  if (redis) {
    new Gauge({
      name: 'meshmon_redis_connected',
      help: 'Whether the Redis connection is ready (1) or not (0)',
      registers,
      collect() {
        this.set(redis.status === 'ready' ? 1 : 0);
      },
    });
  }

  let stopped = false;
  void (async () => {
    for await (const status of connection.status()) {
      if (stopped) break;
      if (status.type === 'disconnect') {
        connected = false;
        disconnects.inc();
      } else if (status.type === 'reconnect') {
        connected = true;
        reconnects.inc();
      }
    }
  })().catch(() => undefined);

  return {
    contentType: registry.contentType,
    text: () => registry.metrics(),
    stop: () => {
      stopped = true;
    },
  };
}

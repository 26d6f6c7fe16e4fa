import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import {
  encodeMeasurementResult,
  encodeSchedulerEventMessage,
  Subjects,
  type MeasurementResult,
  type ServiceEvent,
  type ServiceName,
} from '@meshmon/contracts';
import { bootstrap, type GatewayHandle } from '../../apps/gateway/src/bootstrap.js';
import { pollUntil as until } from '../support/poll-until.js';
import {
  developerNatsLogin,
  developerRedisLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';

export { until };
export { goodResult } from '../support/sample-results.js';

export const NATS_URL = 'nats://127.0.0.1:4222';
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const INFLUX_URL = 'http://127.0.0.1:8086';

/** The token a harness's gateway requires when the test sets none of its own. */
export const HARNESS_TOKEN = 'harness-token-0123456789abcdef';

/** A cluster name no other test (or earlier run) uses. */
export const uniqueCluster = (prefix: string): string =>
  `${prefix}-${randomBytes(4).toString('hex')}`.slice(0, 32);

/** What a call returned; `json` is loosely typed because tests reach into any answer. */
export interface Answer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions check the shape
  readonly json: any;
  readonly text: string;
  readonly headers: Headers;
}

export interface Harness {
  readonly cluster: string;
  readonly subjects: Subjects;
  readonly gateway: GatewayHandle;
  readonly nats: NatsConnection;
  readonly redis: Redis;
  /** fetch against the gateway; JSON bodies are sent as given (strings raw). */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer>;
  publishEvent(node: string, event: ServiceEvent, service?: ServiceName, atMs?: number): void;
  publishResult(result: MeasurementResult): void;
  close(): Promise<void>;
}

/** Boots the real gateway in-process for a fresh cluster, with clients for the test's side. */
export async function startHarness(
  prefix: string,
  env: Record<string, string> = {},
): Promise<Harness> {
  const cluster = env.MESHMON_CLUSTER ?? uniqueCluster(prefix);
  const subjects = new Subjects(cluster);
  // The gateway needs a token (or MESHMON_GATEWAY_OPEN=on): the harness brings one unless
  // the test says how to get in itself, and call() sends it.
  const ownAccess = ['MESHMON_GATEWAY_TOKEN', 'MESHMON_GATEWAY_TOKEN_FILE', 'MESHMON_GATEWAY_OPEN'];
  const access = ownAccess.some((name) => name in env)
    ? {}
    : { MESHMON_GATEWAY_TOKEN: HARNESS_TOKEN };
  const gateway = await bootstrap({
    MESHMON_CLUSTER: cluster,
    MESHMON_NATS_URL: NATS_URL,
    MESHMON_REDIS_URL: REDIS_URL,
    MESHMON_INFLUX_URL: INFLUX_URL,
    MESHMON_GATEWAY_PORT: '0',
    MESHMON_PROBE_SECONDS: '1',
    ...serviceLoginEnv('gateway'),
    ...access,
    ...env,
  });
  const nats = await connect({
    servers: NATS_URL,
    name: `gateway-test-${cluster}`,
    ...developerNatsLogin(),
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, ...developerRedisLogin() });
  const token = env.MESHMON_GATEWAY_TOKEN ?? access.MESHMON_GATEWAY_TOKEN;
  return {
    cluster,
    subjects,
    gateway,
    nats,
    redis,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (token && headers.authorization === undefined) headers.authorization = `Bearer ${token}`;
      // An empty authorization means: send none.
      if (headers.authorization === '') delete headers.authorization;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${gateway.url}${path}`, { method, headers, body });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (_notJson) {
        json = null;
      }
      return { status: response.status, json, text, headers: response.headers };
    },
    publishEvent(node, event, service = 'controller', atMs = Date.now()) {
      nats.publish(
        subjects.event(event.type),
        encodeSchedulerEventMessage({ v: 1, cluster, node, service, atMs, event }),
      );
    },
    publishResult(result) {
      nats.publish(subjects.result(result.monitor, result.sensor), encodeMeasurementResult(result));
    },
    async close() {
      await gateway.close();
      await nats.drain();
      const keys = await redis.keys(`${subjects.redis.prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** Makes the gateway know `nodes` (service-started from each) and waits until it does. */
export async function knowNodes(harness: Harness, nodes: readonly string[]): Promise<void> {
  for (const node of nodes) harness.publishEvent(node, { type: 'service-started' });
  await until(`the gateway to know ${nodes.join(', ')}`, async () => {
    const { json } = await harness.call('GET', '/api/v1/nodes');
    const known = new Set((json?.nodes ?? []).map((node: { node: string }) => node.node));
    return nodes.every((node) => known.has(node)) ? true : undefined;
  });
}

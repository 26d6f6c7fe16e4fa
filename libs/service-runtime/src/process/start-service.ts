import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { Subjects, inboxPrefixOf, type Orchestrator, type ServiceName } from '@meshmon/contracts';
import { connectRedis, openRedis, requireRedisUrl } from '@meshmon/leases';
import { EventPublisher } from '../event-publisher.js';
import type { Readiness } from '../health/readiness.js';
import { connectNats } from '../nats/connect-nats.js';
import { natsReadiness, redisReadiness } from '../nats/readiness-checks.js';
import { logRedisStatus } from '../redis/redis-status-log.js';
import { serviceMetrics, type ServiceMetrics } from '../health/service-metrics.js';
import { startServiceSampling } from '../sampling/service-sampling.js';
import type { Env } from '../settings/setting.js';
import type { RedisCredentials } from '../settings/shared-settings.js';
import type { RunningService } from './run-process.js';

/** The self-sampler's settings (SharedSettings.SAMPLING), in every service's config. */
export interface SamplingConfig {
  /** 0: no sampling. */
  readonly sampleSeconds: number;
  readonly run: string;
  readonly orchestrator: Orchestrator;
}

/** How long a closing service waits for its last samples to reach JetStream. */
const SAMPLES_DRAIN_MS = 1000;

/** Who a service is on the bus, taken from its checked settings. */
export interface ServiceIdentity extends SamplingConfig {
  readonly cluster: string;
  /** The node it serves (node agents, flow discovery) or its own name (sink, gateway). */
  readonly node: string;
  readonly natsUrl: string;
  /** Its NATS user's nkey seed (MESHMON_NATS_NKEY); null: no login. */
  readonly natsNkey?: string | null;
  /** Only for a service that uses Redis. */
  readonly redisUrl?: string;
  /** Its login there, if the server asks for one. */
  readonly redisCredentials?: RedisCredentials | null;
}

/** What the runtime has opened before Nest starts; the service's modules get it injected. */
export interface ServiceBase<C> {
  readonly config: C;
  readonly connection: NatsConnection;
  readonly subjects: Subjects;
  readonly events: EventPublisher;
  /** Only for the services that keep state in Redis (leases, monitor history, intents). */
  readonly redis: Redis | null;
  /**
   * Resolves once Nest has started (a microservice listens). A module that asks another
   * service for something must wait for it, or the answer arrives before its
   * subscription and is lost.
   */
  readonly listening: Promise<void>;
  /** Its process and client figures (the gateway adds them to its own /metrics). */
  readonly metrics: ServiceMetrics;
}

/** Anything Nest builds: a microservice, an application context, an HTTP application. */
export interface Closable {
  close(): Promise<void>;
}

export interface ServiceDefinition<C, A extends Closable> {
  readonly service: ServiceName;
  /** Reads and checks the settings; throws a ConfigError naming every bad variable. */
  readonly settings: (env: Env) => C | Promise<C>;
  readonly identity: (config: C) => ServiceIdentity;
  /**
   * 'required': no start until Redis answers (the lease store keeps measurements apart).
   * 'background': connects and reconnects behind a service that must serve while Redis
   * is down (the gateway answers 503 for what needs it).
   */
  readonly redis?: 'required' | 'background';
  /** Builds and starts Nest on what the runtime opened. */
  readonly nest: (base: ServiceBase<C>) => Promise<A>;
  /** The service's own checks, beside NATS (and Redis) which the runtime checks. */
  readonly readiness?: (app: A, base: ServiceBase<C>) => Readiness;
}

/** A started service: what its process needs, and what tests look into. */
export interface StartedService<C, A extends Closable> extends RunningService {
  readonly base: ServiceBase<C>;
  readonly app: A;
  readonly readiness: Readiness;
  /** Its process and its NATS and Redis clients, for the health port's `/metrics`. */
  readonly metrics: ServiceMetrics;
  /** Once: service-stopping, sampler stopped, Nest's own shutdown, NATS drained, Redis closed. */
  close(): Promise<void>;
}

/**
 * Starts any Meshmon service the one way: settings, NATS (named `meshmon-<service>-<node>`),
 * subjects, events, Redis when it needs it, Nest, then `service-started` on the bus and the
 * self-sampler (every MESHMON_SAMPLE_SECONDS into the samples stream).
 * Whatever fails on the way (a ConfigError, NatsUnavailableError, LeaseStoreError, a bug)
 * is thrown with everything opened so far closed again, newest first.
 */
export async function startService<C, A extends Closable>(
  definition: ServiceDefinition<C, A>,
  env: Env,
): Promise<StartedService<C, A>> {
  const config = await definition.settings(env);
  const identity = definition.identity(config);
  const name = `meshmon-${definition.service}-${identity.node}`;
  const connection = await connectNats(identity.natsUrl, name, undefined, {
    nkeySeed: identity.natsNkey ?? null,
    inboxPrefix: inboxPrefixOf(definition.service),
  });
  const opened: (() => Promise<void>)[] = [() => connection.close()];
  try {
    const subjects = new Subjects(identity.cluster);
    const events = new EventPublisher(connection, subjects, identity.node, definition.service);
    const redis = await openRedisFor(definition, identity, name);
    if (redis) opened.push(async () => redis.disconnect());
    const metrics = serviceMetrics({
      service: definition.service,
      node: identity.node,
      connection,
      redis,
    });
    opened.push(async () => metrics.stop());
    let listening!: () => void;
    const base: ServiceBase<C> = {
      config,
      connection,
      subjects,
      events,
      redis,
      metrics,
      listening: new Promise<void>((resolve) => (listening = resolve)),
    };
    const app = await definition.nest(base);
    listening();
    events.publish({ type: 'service-started' });
    const sampling =
      identity.sampleSeconds > 0
        ? startServiceSampling(
            {
              service: definition.service,
              node: identity.node,
              run: identity.run,
              orchestrator: identity.orchestrator,
              intervalMs: identity.sampleSeconds * 1000,
            },
            connection,
            subjects,
            events,
          )
        : null;
    const checks = [
      natsReadiness(connection, identity.natsUrl),
      ...(redis ? [redisReadiness(redis, identity.redisUrl ?? '')] : []),
      ...(definition.readiness ? [definition.readiness(app, base)] : []),
    ];
    let closing: Promise<void> | null = null;
    return {
      base,
      app,
      metrics,
      readiness: async () => (await Promise.all(checks.map((check) => check()))).flat(),
      // A bug in one handler must not take the service down: report it and carry on.
      reportStray: (reason) =>
        events.error({
          subject: '',
          code: 'unhandled-rejection',
          message: reason instanceof Error ? reason.message : String(reason),
        }),
      close: () =>
        (closing ??= (async () => {
          events.publish({ type: 'service-stopping' });
          sampling?.stop();
          metrics.stop();
          await app.close();
          await sampling?.drain(SAMPLES_DRAIN_MS);
          // Drain, not close: the service-stopping event and any reply in flight go out.
          await connection.drain().catch(() => undefined);
          redis?.disconnect();
        })()),
    };
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function openRedisFor<C, A extends Closable>(
  definition: ServiceDefinition<C, A>,
  identity: ServiceIdentity,
  name: string,
): Promise<Redis | null> {
  if (!definition.redis) return null;
  const url = identity.redisUrl;
  if (url === undefined) throw new Error(`${definition.service} uses Redis but names no URL`);
  const login = identity.redisCredentials
    ? {
        redis: {
          ...(identity.redisCredentials.username
            ? { username: identity.redisCredentials.username }
            : {}),
          password: identity.redisCredentials.password,
        },
      }
    : {};
  const redis =
    definition.redis === 'required'
      ? await connectRedis(url, { connectionName: name, ...login })
      : openRedis(url, { connectionName: name, ...login });
  logRedisStatus(redis, name, requireRedisUrl(url));
  return redis;
}

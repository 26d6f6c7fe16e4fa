import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Subjects } from '@meshmon/contracts';
import type { Credentials, InfluxLogin } from '@meshmon/service-runtime';
import {
  developerInfluxEnv,
  localCredentials,
} from '@meshmon/service-runtime/credentials/local-logins.js';
import { freePort, portIsFree, waitUntil } from '../infra/free-port.js';
import { logTail, spawnLogged, stopChild } from '../infra/logged-child.js';
import { serviceNatsEnv } from '../infra/lab-logins.js';
import { serviceCommand } from '../infra/service-build.js';

/** The cluster-wide services the lab runs beside the nodes, and where they reach out. */
export interface LabSuiteOptions {
  /** Where the gateway listens on 127.0.0.1; 0 picks a free port (tests). */
  readonly gatewayPort: number;
  readonly influxUrl: string;
  readonly influxDatabase: string;
  /** Discovery mode: controllers turn the flows they see into intents. */
  readonly discovery: boolean;
  /**
   * The sink's writer and the gateway's reader, as a deployment has them; without them
   * both log in as infra/local's developer (its InfluxDB has no other users).
   */
  readonly influxLogins?: { readonly writer: InfluxLogin; readonly reader: InfluxLogin };
  /** Where the sink alone reaches InfluxDB, when not at influxUrl (a fault's proxy). */
  readonly sinkInfluxUrl?: string;
}

/** The cluster-wide services of the lab, each of which a fault may kill and restart. */
export type LabSuiteService = 'result-sink' | 'gateway';

export interface LabSuiteContext {
  readonly repo: string;
  readonly folder: string;
  readonly natsUrl: string;
  readonly redisUrl: string;
  readonly subjects: Subjects;
  readonly nats: NatsConnection;
  readonly probeSeconds: number;
  /** The run's secrets (.lab/<run>/credentials): the gateway requires its token. */
  readonly credentials: Credentials;
}

/** How to reach the lab's gateway: every /api call sends `Authorization: Bearer <token>`. */
export interface LabGateway {
  readonly url: string;
  readonly token: string;
}

/** The lab's result sink or gateway did not come up; the message names it and its log. */
export class LabSuiteError extends Error {
  override readonly name = 'LabSuiteError';
}

const START_TIMEOUT_MS = 30_000;
/** How long the sink may take, at the end, to store what is still in the streams. */
const DRAIN_TIMEOUT_MS = 15_000;
/** The sink's durable consumer (its default MESHMON_SINK_DURABLE). */
const SINK_DURABLE = 'result-sink';
export const GATEWAY_HOST = '127.0.0.1';

/**
 * The result sink (into the InfluxDB of infra/local, a database of the lab's own) and the
 * HTTP gateway, both in the root namespace: they reach the lab's NATS and Redis on the
 * bridge, and the user reaches the gateway on 127.0.0.1.
 */
export class LabSuite {
  private constructor(
    readonly gatewayUrl: string,
    private readonly services: Map<LabSuiteService, SuiteProcess>,
    private readonly context: LabSuiteContext,
  ) {}

  static async start(options: LabSuiteOptions, context: LabSuiteContext): Promise<LabSuite> {
    const services = new Map<LabSuiteService, SuiteProcess>();
    try {
      const shared = {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        MESHMON_CLUSTER: context.subjects.cluster,
        MESHMON_NATS_URL: context.natsUrl,
        MESHMON_REDIS_URL: context.redisUrl,
        MESHMON_REDIS_USERNAME: context.credentials.redisUsername,
        MESHMON_REDIS_PASSWORD_FILE: context.credentials.redisPasswordFile,
        MESHMON_INFLUX_URL: options.influxUrl,
        MESHMON_INFLUX_DATABASE: options.influxDatabase,
        MESHMON_ORCHESTRATOR: 'lab',
      };
      const influxLogin = (which: 'writer' | 'reader'): Record<string, string> => {
        const login = options.influxLogins?.[which];
        // infra/local's InfluxDB has one user, its developer; none where it has no users.
        if (!login) return developerInfluxEnv(localCredentials(context.repo));
        return {
          MESHMON_INFLUX_USERNAME: login.username,
          MESHMON_INFLUX_PASSWORD_FILE: login.passwordFile,
        };
      };
      const sink = new SuiteProcess(context.repo, 'result-sink', context.folder, {
        ...shared,
        ...influxLogin('writer'),
        ...(options.sinkInfluxUrl ? { MESHMON_INFLUX_URL: options.sinkInfluxUrl } : {}),
        ...serviceNatsEnv(context.credentials, 'result-sink'),
      });
      services.set('result-sink', sink);
      await sink.start(() => sinkAnswers(context));

      const port = options.gatewayPort === 0 ? await freePort(GATEWAY_HOST) : options.gatewayPort;
      // Another gateway (an earlier lab's) on the port would answer the health check below.
      if (!(await portIsFree(GATEWAY_HOST, port))) {
        throw new LabSuiteError(
          `${GATEWAY_HOST}:${port} is in use: stop what holds it, or pass --gateway-port with another port (0 picks a free one)`,
        );
      }
      const gatewayUrl = `http://${GATEWAY_HOST}:${port}`;
      const gateway = new SuiteProcess(context.repo, 'gateway', context.folder, {
        ...shared,
        ...influxLogin('reader'),
        MESHMON_GATEWAY_HOST: GATEWAY_HOST,
        MESHMON_GATEWAY_PORT: String(port),
        MESHMON_PROBE_SECONDS: String(context.probeSeconds),
        MESHMON_GATEWAY_TOKEN_FILE: context.credentials.gatewayTokenFile,
        ...serviceNatsEnv(context.credentials, 'gateway'),
      });
      services.set('gateway', gateway);
      await gateway.start(() => gatewayLive(gatewayUrl));
      return new LabSuite(gatewayUrl, services, context);
    } catch (error) {
      await Promise.all([...services.values()].map((service) => service.stop()));
      throw error;
    }
  }

  /** What every /api call needs: `Authorization: Bearer <token>`. */
  get gatewayToken(): string {
    return this.context.credentials.gatewayToken;
  }

  pids(): { service: string; pid: number }[] {
    return [...this.services].flatMap(([service, running]) =>
      running.pid === null ? [] : [{ service, pid: running.pid }],
    );
  }

  /** Kills one service the hard way, as a crash would. */
  kill(service: LabSuiteService): void {
    this.services.get(service)?.kill();
  }

  /** Starts a service again (after a kill) with its settings; resolves once it answers. */
  async restart(service: LabSuiteService): Promise<void> {
    const running = this.services.get(service);
    if (!running) return;
    await running.stop();
    await running.start(() =>
      service === 'result-sink' ? sinkAnswers(this.context) : gatewayLive(this.gatewayUrl),
    );
  }

  /**
   * Call once the node services are gone. The sink goes last, and only once it has stored
   * what is still in the streams (bounded): a result published in the run's last moments,
   * e.g. the probe the shutdown cancelled, must reach InfluxDB like every other.
   */
  async stop(): Promise<void> {
    await this.services.get('gateway')?.stop();
    await this.sinkCaughtUp(DRAIN_TIMEOUT_MS).catch(() => false);
    await Promise.all([...this.services.values()].map((service) => service.stop()));
  }

  private async sinkCaughtUp(timeoutMs: number): Promise<boolean> {
    const { nats, subjects } = this.context;
    const manager = await jetstreamManager(nats);
    return waitUntil(
      async () => {
        for (const stream of [subjects.resultsStream, subjects.eventsStream]) {
          const info = await manager.consumers.info(stream, SINK_DURABLE);
          if (info.num_pending + info.num_ack_pending > 0) return false;
        }
        return true;
      },
      timeoutMs,
      200,
    );
  }
}

/** The sink answers its stats request once it is connected and consuming. */
async function sinkAnswers(context: LabSuiteContext): Promise<boolean> {
  await context.nats.request(context.subjects.sinkStats, '{}', { timeout: 500 });
  return true;
}

async function gatewayLive(url: string): Promise<boolean> {
  const response = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1000) });
  return response.ok;
}

/** One of the suite's services: its command and settings, so it can be started again. */
class SuiteProcess {
  private child: ChildProcess | null = null;
  private readonly log: string;

  constructor(
    private readonly repo: string,
    private readonly service: LabSuiteService,
    folder: string,
    private readonly env: Record<string, string>,
  ) {
    this.log = join(folder, `${service}.log`);
  }

  get pid(): number | null {
    const child = this.child;
    return child?.pid !== undefined && child.exitCode === null && child.signalCode === null
      ? child.pid
      : null;
  }

  async start(ready: () => Promise<boolean>): Promise<void> {
    const [command, ...args] = serviceCommand(this.repo, this.service);
    this.child = spawnLogged(command, args, this.log, this.env);
    if (!(await waitUntil(ready, START_TIMEOUT_MS, 250)))
      throw new LabSuiteError(`the ${this.service} did not come up${logTail(this.log)}`);
  }

  kill(): void {
    this.child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child).catch(() => undefined);
  }
}

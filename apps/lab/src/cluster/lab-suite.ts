import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Subjects } from '@meshmon/contracts';
import type { Credentials } from '@meshmon/service-runtime';
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
}

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
    private readonly children: readonly ChildProcess[],
    private readonly context: LabSuiteContext,
  ) {}

  static async start(options: LabSuiteOptions, context: LabSuiteContext): Promise<LabSuite> {
    const children: ChildProcess[] = [];
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
        // infra/local's InfluxDB has one user, its developer (a writer and a reader per
        // lab run would be tighter: not done yet); none where it has no users.
        ...developerInfluxEnv(localCredentials(context.repo)),
        MESHMON_ORCHESTRATOR: 'lab',
      };
      const sinkLog = join(context.folder, 'result-sink.log');
      children.push(
        spawnService(context.repo, 'result-sink', sinkLog, {
          ...shared,
          ...serviceNatsEnv(context.credentials, 'result-sink'),
        }),
      );
      const sinkUp = await waitUntil(
        async () => {
          await context.nats.request(context.subjects.sinkStats, '{}', { timeout: 500 });
          return true;
        },
        START_TIMEOUT_MS,
        250,
      );
      if (!sinkUp) throw new LabSuiteError(`the result sink did not answer${logTail(sinkLog)}`);

      const port = options.gatewayPort === 0 ? await freePort(GATEWAY_HOST) : options.gatewayPort;
      // Another gateway (an earlier lab's) on the port would answer the health check below.
      if (!(await portIsFree(GATEWAY_HOST, port))) {
        throw new LabSuiteError(
          `${GATEWAY_HOST}:${port} is in use: stop what holds it, or pass --gateway-port with another port (0 picks a free one)`,
        );
      }
      const gatewayUrl = `http://${GATEWAY_HOST}:${port}`;
      const gatewayLog = join(context.folder, 'gateway.log');
      children.push(
        spawnService(context.repo, 'gateway', gatewayLog, {
          ...shared,
          MESHMON_GATEWAY_HOST: GATEWAY_HOST,
          MESHMON_GATEWAY_PORT: String(port),
          MESHMON_PROBE_SECONDS: String(context.probeSeconds),
          MESHMON_GATEWAY_TOKEN_FILE: context.credentials.gatewayTokenFile,
          ...serviceNatsEnv(context.credentials, 'gateway'),
        }),
      );
      const gatewayUp = await waitUntil(
        async () => {
          const response = await fetch(`${gatewayUrl}/health/live`, {
            signal: AbortSignal.timeout(1000),
          });
          return response.ok;
        },
        START_TIMEOUT_MS,
        250,
      );
      if (!gatewayUp)
        throw new LabSuiteError(
          `the gateway did not come up on ${gatewayUrl}${logTail(gatewayLog)}`,
        );
      return new LabSuite(gatewayUrl, children, context);
    } catch (error) {
      await Promise.all(children.map((child) => stopChild(child)));
      throw error;
    }
  }

  /** What every /api call needs: `Authorization: Bearer <token>`. */
  get gatewayToken(): string {
    return this.context.credentials.gatewayToken;
  }

  pids(): { service: string; pid: number }[] {
    const names = ['result-sink', 'gateway'];
    return this.children.flatMap((child, index) =>
      child.pid !== undefined && child.exitCode === null
        ? [{ service: names[index], pid: child.pid }]
        : [],
    );
  }

  /**
   * Call once the node services are gone. The sink goes last, and only once it has stored
   * what is still in the streams (bounded): a result published in the run's last moments,
   * e.g. the probe the shutdown cancelled, must reach InfluxDB like every other.
   */
  async stop(): Promise<void> {
    await stopChild(this.children[1] ?? this.children[0]).catch(() => undefined);
    await this.sinkCaughtUp(DRAIN_TIMEOUT_MS).catch(() => false);
    await Promise.all(this.children.map((child) => stopChild(child).catch(() => undefined)));
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

function spawnService(
  repo: string,
  service: string,
  logFile: string,
  env: Record<string, string>,
): ChildProcess {
  const [command, ...args] = serviceCommand(repo, service);
  return spawnLogged(command, args, logFile, env);
}

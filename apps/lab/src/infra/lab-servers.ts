import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { connectRedis } from '@meshmon/leases';
import { NATS_AUTHORIZATION_FILE, labNatsLogin, type Credentials } from './lab-logins.js';
import { freePort, waitUntil } from './free-port.js';
import { logTail as tail, spawnLogged, stopChild } from './logged-child.js';

/** The lab's NATS or Redis did not come up; the message says which, where, and the log. */
export class LabServerError extends Error {
  override readonly name = 'LabServerError';
}

export interface LabServers {
  readonly natsUrl: string;
  readonly redisUrl: string;
  /** Stops one server (SIGTERM, as an orchestrator would) and starts it again on its data. */
  restart(server: LabServerName): Promise<void>;
  stop(): Promise<void>;
}

export type LabServerName = 'nats' | 'redis';

const START_TIMEOUT_MS = 15_000;

/** One of the lab's servers: how to start it, how to tell it is up, its log. */
interface LabServer {
  readonly name: LabServerName;
  readonly url: string;
  readonly log: string;
  readonly spawn: () => ChildProcess;
  readonly up: () => Promise<boolean>;
  child: ChildProcess | null;
}

async function startServer(server: LabServer): Promise<void> {
  server.child = server.spawn();
  if (!(await waitUntil(server.up, START_TIMEOUT_MS))) {
    const which = server.name === 'nats' ? 'NATS' : 'Redis';
    throw new LabServerError(`${which} did not come up on ${server.url}${tail(server.log)}`);
  }
}

/**
 * A NATS server with JetStream and a Redis server for one lab run, bound to the bridge's
 * gateway address so that the node namespaces reach them over the bridge, with their data
 * under the run's own folder (JetStream's file store; Redis's append-only file, as the
 * deployments keep it, so that leases and reservations outlive a restart). Separate from
 * the shared ones of infra/local so that a lab never mixes with (or wipes) anything else.
 */
export async function startLabServers(
  host: string,
  folder: string,
  credentials: Credentials,
): Promise<LabServers> {
  mkdirSync(join(folder, 'nats'), { recursive: true });
  const redisLogin = { username: credentials.redisUsername, password: credentials.redisPassword };
  const natsPort = await freePort(host);
  const redisPort = await freePort(host);
  const nats: LabServer = {
    name: 'nats',
    url: `nats://${host}:${natsPort}`,
    log: join(folder, 'nats.log'),
    spawn: () =>
      spawnLogged(
        'nats-server',
        ['-c', natsConfig(credentials, join(folder, 'nats')), '-a', host, '-p', String(natsPort)],
        nats.log,
      ),
    up: async () => {
      const connection = await connect({
        servers: nats.url,
        timeout: 500,
        reconnect: false,
        ...labNatsLogin(credentials),
      });
      await connection.close();
      return true;
    },
    child: null,
  };
  const redis: LabServer = {
    name: 'redis',
    url: `redis://${host}:${redisPort}`,
    log: join(folder, 'redis.log'),
    spawn: () =>
      spawnLogged(
        'redis-server',
        [
          '--bind',
          host,
          '--port',
          String(redisPort),
          // Protected mode refuses every client not on loopback; this one is bound to the
          // lab's bridge only, where the namespaces are.
          '--protected-mode',
          'no',
          '--save',
          '',
          '--appendonly',
          'yes',
          '--dir',
          folder,
          // The users from the run's credentials (0600): a password in argv is public.
          '--aclfile',
          credentials.redisAclFile,
        ],
        redis.log,
      ),
    up: async () => {
      const client = await connectRedis(redis.url, { timeoutMs: 1000, redis: redisLogin });
      client.disconnect();
      return true;
    },
    child: null,
  };
  const servers = { nats, redis };
  const stop = async () => {
    await Promise.all(
      Object.values(servers).map((server) => (server.child ? stopChild(server.child) : undefined)),
    );
  };
  try {
    await startServer(nats);
    await startServer(redis);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    natsUrl: nats.url,
    redisUrl: redis.url,
    async restart(name) {
      const server = servers[name];
      if (server.child) await stopChild(server.child, 10_000);
      await startServer(server);
    },
    stop,
  };
}

/**
 * The lab NATS server's configuration: JetStream under the run's folder and the users of
 * the run's credentials (one per service, deny by default). Written beside the
 * authorization block, which it includes by a relative name.
 */
function natsConfig(credentials: Credentials, storeDir: string): string {
  const file = join(credentials.folder, 'nats.conf');
  writeFileSync(
    file,
    `jetstream { store_dir: ${JSON.stringify(storeDir)} }\ninclude ./${NATS_AUTHORIZATION_FILE}\n`,
    { mode: 0o600 },
  );
  return file;
}

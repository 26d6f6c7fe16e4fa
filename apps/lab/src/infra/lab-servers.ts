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
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

/**
 * A NATS server with JetStream and a Redis server for one lab run, bound to the bridge's
 * gateway address so that the node namespaces reach them over the bridge, with their data
 * under the run's own folder. Separate from the shared ones of infra/local so that a lab
 * never mixes with (or wipes) anything else.
 */
export async function startLabServers(
  host: string,
  folder: string,
  credentials: Credentials,
): Promise<LabServers> {
  mkdirSync(join(folder, 'nats'), { recursive: true });
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
  };
  const redisLogin = { username: credentials.redisUsername, password: credentials.redisPassword };
  try {
    const natsPort = await freePort(host);
    const natsLog = join(folder, 'nats.log');
    children.push(
      spawnLogged(
        'nats-server',
        ['-c', natsConfig(credentials, join(folder, 'nats')), '-a', host, '-p', String(natsPort)],
        natsLog,
      ),
    );
    const natsUrl = `nats://${host}:${natsPort}`;
    const natsUp = await waitUntil(async () => {
      const connection = await connect({
        servers: natsUrl,
        timeout: 500,
        reconnect: false,
        ...labNatsLogin(credentials),
      });
      await connection.close();
      return true;
    }, START_TIMEOUT_MS);
    if (!natsUp) throw new LabServerError(`NATS did not come up on ${natsUrl}${tail(natsLog)}`);

    const redisPort = await freePort(host);
    const redisLog = join(folder, 'redis.log');
    children.push(
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
          'no',
          '--dir',
          folder,
          // The users from the run's credentials (0600): a password in argv is public.
          '--aclfile',
          credentials.redisAclFile,
        ],
        redisLog,
      ),
    );
    const redisUrl = `redis://${host}:${redisPort}`;
    const redisUp = await waitUntil(async () => {
      const redis = await connectRedis(redisUrl, { timeoutMs: 1000, redis: redisLogin });
      redis.disconnect();
      return true;
    }, START_TIMEOUT_MS);
    if (!redisUp) throw new LabServerError(`Redis did not come up on ${redisUrl}${tail(redisLog)}`);
    return { natsUrl, redisUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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

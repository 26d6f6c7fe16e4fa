import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConnectionOptions } from '@nats-io/transport-node';
import { inboxPrefixOf, type NatsRole } from '@meshmon/contracts';
import { DEVELOPER_USER, ensureCredentials, type Credentials } from './credentials-folder.js';
import { loginOptions } from '../nats/connect-nats.js';

/**
 * The logins of infra/local's servers (made by infra/local/start.sh), for tests, benchmarks
 * and tools that use them: MESHMON_CREDENTIALS_DIR, else `.infra/credentials` of this
 * checkout (MESHMON_INFRA_DIR moves `.infra`). Null where there is no such folder: the
 * servers are then someone else's, taken as they are (no users: no login needed).
 */
export function localCredentials(
  repo = resolve(import.meta.dirname, '..', '..', '..', '..'),
): Credentials | null {
  const folder =
    process.env.MESHMON_CREDENTIALS_DIR ??
    join(process.env.MESHMON_INFRA_DIR ?? join(repo, '.infra'), 'credentials');
  if (!existsSync(folder)) return null;
  cached ??= { folder, credentials: ensureCredentials(folder, { developer: true }) };
  return cached.credentials;
}
let cached: { folder: string; credentials: Credentials } | null = null;

/** NATS client options for the developer's user (may do everything), or none. */
export function developerNatsLogin(
  credentials: Credentials | null = localCredentials(),
): Partial<ConnectionOptions> {
  const developer = credentials?.developer;
  if (!developer) return {};
  return loginOptions({ nkeySeed: readFileSync(developer.natsSeedFile, 'utf8').trim() });
}

/** The client options of a connection logged in as `role` with these credentials. */
export function natsLoginAs(credentials: Credentials, role: NatsRole): Partial<ConnectionOptions> {
  const nkeySeed = readFileSync(credentials.natsSeedFiles[role], 'utf8').trim();
  return loginOptions({ nkeySeed, inboxPrefix: inboxPrefixOf(role) });
}

/** ioredis options for the developer's user (every key, every command), or none. */
export function developerRedisLogin(credentials: Credentials | null = localCredentials()): {
  username?: string;
  password?: string;
} {
  const developer = credentials?.developer;
  return developer ? { username: developer.redisUsername, password: developer.redisPassword } : {};
}

/**
 * A service's settings for logging in as a deployment's service would: its NATS seed file
 * and the suite's Redis user, or nothing where the servers have no users.
 */
export function serviceLoginEnv(role: NatsRole): Record<string, string> {
  const credentials = localCredentials();
  if (!credentials) return {};
  // On infra/local's InfluxDB the sink and the gateway log in as its admin: the tests give
  // every run a database of its own, which no writer or reader could be granted ahead.
  const influx =
    role === 'result-sink' || role === 'gateway' ? developerInfluxEnv(credentials) : {};
  return {
    MESHMON_NATS_NKEY_FILE: credentials.natsSeedFiles[role],
    MESHMON_REDIS_USERNAME: credentials.redisUsername,
    MESHMON_REDIS_PASSWORD_FILE: credentials.redisPasswordFile,
    ...influx,
  };
}

/** The settings that log a sink or a gateway in to infra/local's InfluxDB as its developer. */
export function developerInfluxEnv(credentials: Credentials | null): Record<string, string> {
  const developer = credentials?.developer;
  return developer
    ? {
        MESHMON_INFLUX_USERNAME: DEVELOPER_USER,
        MESHMON_INFLUX_PASSWORD_FILE: developer.influxPasswordFile,
      }
    : {};
}

/** The developer's InfluxDB login (admin on infra/local), or none where it has no users. */
export function developerInfluxLogin(
  credentials: Credentials | null = localCredentials(),
): { username: string; password: string } | undefined {
  const developer = credentials?.developer;
  return developer ? { username: DEVELOPER_USER, password: developer.influxPassword } : undefined;
}

/** The suite's Redis login (as a deployed service has it), or null where Redis has no users. */
export function suiteRedisCredentials(): { username: string; password: string } | null {
  const credentials = localCredentials();
  return credentials
    ? { username: credentials.redisUsername, password: credentials.redisPassword }
    : null;
}

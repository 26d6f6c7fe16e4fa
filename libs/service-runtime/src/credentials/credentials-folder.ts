import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { NATS_ROLES, type NatsRole } from '@meshmon/contracts';
import { natsPublicKey, newNatsSeed, renderNatsAuthorization } from './nats-authorization.js';

/** The secrets a deployment of the suite needs, each in a file of its own. */
export interface Credentials {
  /** The folder (mode 0700) holding them; printed so that a user and scripts find them. */
  readonly folder: string;
  /** The gateway's API token: what MESHMON_GATEWAY_TOKEN_FILE names. */
  readonly gatewayTokenFile: string;
  readonly gatewayToken: string;
  /** The suite's Redis ACL user: the only one besides none (the default user is off). */
  readonly redisUsername: string;
  /** Its password: what MESHMON_REDIS_PASSWORD_FILE names. */
  readonly redisPasswordFile: string;
  readonly redisPassword: string;
  /** Redis's users for `--aclfile` (it holds the password, so it is a secret too). */
  readonly redisAclFile: string;
  /** Each NATS user's nkey seed: what MESHMON_NATS_NKEY_FILE names for that service. */
  readonly natsSeedFiles: Readonly<Record<NatsRole, string>>;
  /** nats-server's `authorization` block for those users (public keys: `include` it). */
  readonly natsAuthorizationFile: string;
  /**
   * InfluxDB's admin in a deployment (swarm/, k8s/): its entrypoint
   * (influxdb-provision.sh) makes it and, as it, the database, the writer and the reader.
   */
  readonly influxAdmin: InfluxLogin;
  /** InfluxDB's writer (the result sink: writes the suite's database only). */
  readonly influxWriter: InfluxLogin;
  /** InfluxDB's reader (the gateway: reads the suite's database only). */
  readonly influxReader: InfluxLogin;
  /** Only on a developer's own servers (infra/local): a user that may do everything. */
  readonly developer: DeveloperLogin | null;
}

/** An InfluxDB user: its name and the file with its password (what *_PASSWORD_FILE names). */
export interface InfluxLogin {
  readonly username: string;
  readonly passwordFile: string;
  readonly password: string;
}

/** The InfluxDB users of a deployment, named so that InfluxQL needs no quotes. */
export const INFLUX_ADMIN = 'meshmon_admin';
export const INFLUX_WRITER = 'meshmon_writer';
export const INFLUX_READER = 'meshmon_reader';

/**
 * The developer's own login on infra/local's servers, for tests and tools that must do what
 * no service may (forge any message, read any key). Never part of a deployment.
 */
export interface DeveloperLogin {
  readonly natsSeedFile: string;
  readonly redisUsername: string;
  readonly redisPasswordFile: string;
  readonly redisPassword: string;
  /** InfluxDB's admin on infra/local (every database): its user is DEVELOPER_USER too. */
  readonly influxPasswordFile: string;
  readonly influxPassword: string;
}

/** The developer's user name on Redis and InfluxDB (infra/local only). */
export const DEVELOPER_USER = 'developer';

/** The file holding a NATS role's seed, in a credentials folder. */
export const natsSeedFileName = (role: NatsRole): string => `nats-${role}.nk`;
export const NATS_AUTHORIZATION_FILE = 'nats-authorization.conf';

/** The Redis user every Meshmon service logs in as. */
export const REDIS_USER = 'meshmon';

/**
 * Redis's users: nobody without a password, and the suite's user limited to the suite's
 * keys and to ordinary commands (`INFO` the only dangerous one: ioredis asks it before a
 * client is ready).
 *
 * The default user stays on, with the suite's rights and a password nobody is given (only
 * its SHA-256 is written, derived from the suite's password, so the file is the same every
 * time): Redis 7 loads its append-only file as the default user and, at each EXEC,
 * re-checks that user's rights (redis/redis#14541, fixed only in Redis 8). Every lease
 * script is written there as MULTI/EXEC, so with the default user off a restarted Redis
 * silently dropped every lease and fencing counter (the fault suite's `redis-restarted`
 * found it). Without a password nobody is the default user: a client that does not log in
 * is refused as before.
 */
export function redisAcl(
  username: string,
  password: string,
  developer?: { username: string; password: string },
): string {
  const rights = `resetchannels ~meshmon:* +@all -@dangerous +info`;
  const unknown = createHash('sha256').update(`${password}:aof-replay`).digest('hex');
  const unknownHash = createHash('sha256').update(unknown).digest('hex');
  return [
    `user default on #${unknownHash} ${rights}`,
    `user ${username} on >${password} ${rights}`,
    ...(developer ? [`user ${developer.username} on >${developer.password} ~* &* +@all`] : []),
    '',
  ].join('\n');
}

/** A random secret of `bytes` bytes, hex: safe in a header, a URL and a config file. */
export const newSecret = (bytes = 24): string => randomBytes(bytes).toString('hex');

/**
 * Writes `content` to a file only its owner can read (0600), the folder only its owner can
 * enter (0700). The mode is set at creation, never after the secret is already in the file.
 */
export function writeSecretFile(folder: string, name: string, content: string): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const path = join(folder, name);
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  return path;
}

/**
 * Makes `name` with `content` unless another process made it first (jest workers, two
 * commands at once): written whole under a name of its own, then linked into place, which
 * fails if the file is there already. A reader never sees a half-written secret.
 */
function createSecretOnce(folder: string, name: string, content: string): void {
  const own = writeSecretFile(folder, `.${name}.${process.pid}.${newSecret(4)}.tmp`, content);
  try {
    linkSync(own, join(folder, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(own, { force: true });
  }
}

/**
 * Gives the folder and its files to the user a service runs as (uid:gid), where we run as
 * root and it does not: a secret only its owner reads must be owned by its reader.
 */
export function giveCredentials(credentials: Credentials, uid: number, gid: number): void {
  if (process.getuid?.() !== 0) return;
  chownSync(credentials.folder, uid, gid);
  chownSync(credentials.gatewayTokenFile, uid, gid);
  chownSync(credentials.redisPasswordFile, uid, gid);
  chownSync(credentials.redisAclFile, uid, gid);
  for (const file of Object.values(credentials.natsSeedFiles)) chownSync(file, uid, gid);
  chownSync(credentials.natsAuthorizationFile, uid, gid);
  chownSync(credentials.influxAdmin.passwordFile, uid, gid);
  chownSync(credentials.influxWriter.passwordFile, uid, gid);
  chownSync(credentials.influxReader.passwordFile, uid, gid);
  if (credentials.developer) {
    chownSync(credentials.developer.natsSeedFile, uid, gid);
    chownSync(credentials.developer.redisPasswordFile, uid, gid);
    chownSync(credentials.developer.influxPasswordFile, uid, gid);
  }
}

/**
 * The credentials in `folder`: each one read where it already exists (so a restart, a
 * second command or a user's own secret keeps working), generated where it does not.
 * Idempotent; never prints or logs a secret, only where the files are. `developer` adds
 * the developer's own user (infra/local's servers only).
 */
export function ensureCredentials(
  folder: string,
  options: { developer?: boolean } = {},
): Credentials {
  const file = (name: string, generate = () => `${newSecret()}\n`) => {
    const path = join(folder, name);
    if (!existsSync(path)) createSecretOnce(folder, name, generate());
    return { path, secret: readFileSync(path, 'utf8').trim() };
  };
  const gateway = file('gateway-token');
  const redis = file('redis-password');
  const admin = file('influx-admin-password');
  const writer = file('influx-writer-password');
  const reader = file('influx-reader-password');
  const developerRedis = options.developer ? file('redis-developer-password') : null;
  const developerInflux = options.developer ? file('influx-developer-password') : null;
  const developerNats = options.developer
    ? file('nats-developer.nk', () => `${newNatsSeed()}\n`)
    : null;
  // Rewritten every time from the passwords (like NATS's users below), so that a password
  // replaced by hand, or a rule changed here, takes effect at Redis's next start.
  const developer = developerRedis
    ? { username: DEVELOPER_USER, password: developerRedis.secret }
    : undefined;
  const redisAclFile = replaceFile(
    folder,
    'redis-users.acl',
    redisAcl(REDIS_USER, redis.secret, developer),
  );
  const seeds = NATS_ROLES.map((role) => ({
    role,
    ...file(natsSeedFileName(role), () => `${newNatsSeed()}\n`),
  }));
  // Rewritten every time from the seeds, so that a seed replaced by hand takes effect.
  const natsAuthorizationFile = replaceFile(
    folder,
    NATS_AUTHORIZATION_FILE,
    renderNatsAuthorization(
      seeds.map(({ role, path, secret }) => ({ role, publicKey: publicKeyIn(path, secret) })),
      developerNats ? [publicKeyIn(developerNats.path, developerNats.secret)] : [],
    ),
  );
  return {
    folder,
    gatewayTokenFile: gateway.path,
    gatewayToken: gateway.secret,
    redisUsername: REDIS_USER,
    redisPasswordFile: redis.path,
    redisPassword: redis.secret,
    redisAclFile,
    natsSeedFiles: Object.fromEntries(seeds.map(({ role, path }) => [role, path])) as Record<
      NatsRole,
      string
    >,
    natsAuthorizationFile,
    influxAdmin: { username: INFLUX_ADMIN, passwordFile: admin.path, password: admin.secret },
    influxWriter: { username: INFLUX_WRITER, passwordFile: writer.path, password: writer.secret },
    influxReader: { username: INFLUX_READER, passwordFile: reader.path, password: reader.secret },
    developer:
      developerNats && developerRedis && developerInflux
        ? {
            natsSeedFile: developerNats.path,
            redisUsername: DEVELOPER_USER,
            redisPasswordFile: developerRedis.path,
            redisPassword: developerRedis.secret,
            influxPasswordFile: developerInflux.path,
            influxPassword: developerInflux.secret,
          }
        : null,
  };
}

function publicKeyIn(path: string, seed: string): string {
  try {
    return natsPublicKey(seed);
  } catch {
    throw new Error(`${path} must hold a NATS user nkey seed (SU and 56 letters or digits 2-7)`);
  }
}

/** Writes `content` under a name of its own, then renames it over `name`: never half a file. */
function replaceFile(folder: string, name: string, content: string): string {
  const own = writeSecretFile(folder, `.${name}.${process.pid}.${newSecret(4)}.tmp`, content);
  const path = join(folder, name);
  renameSync(own, path);
  return path;
}

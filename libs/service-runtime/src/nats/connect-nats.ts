import {
  connect,
  nkeyAuthenticator,
  type ConnectionOptions,
  type NatsConnection,
} from '@nats-io/transport-node';
import { createConnection } from 'node:net';
import { logNatsStatus } from './nats-status-log.js';

/** Where every service looks for NATS unless MESHMON_NATS_URL says otherwise. */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** MESHMON_NATS_URL as set, or the default: for what runs before the settings are checked. */
export const natsUrlOf = (env: Readonly<Record<string, string | undefined>>): string =>
  env.MESHMON_NATS_URL?.trim() || DEFAULT_NATS_URL;

/** A NATS URL's host (IPv6 without brackets) and port (4222 when none); throws on a non-URL. */
export function natsEndpoint(url: string): { host: string; port: number } {
  const target = new URL(url);
  return { host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 4222) };
}

/** NATS did not answer: the message says where we looked and what to do. */
export class NatsUnavailableError extends Error {
  override readonly name: string = 'NatsUnavailableError';
}

/** Who a client is on NATS: its user's nkey seed and the prefix of its reply subjects. */
export interface NatsLogin {
  /** The user's nkey seed (`SU...`); null: no login (a server without users). */
  readonly nkeySeed: string | null;
  /** Where its replies arrive (`inboxPrefixOf(role)`): its permissions allow only there. */
  readonly inboxPrefix?: string;
}

/** The client options a login adds. */
export function loginOptions(login: NatsLogin | undefined): Partial<ConnectionOptions> {
  if (!login) return {};
  const seed = login.nkeySeed;
  return {
    ...(seed === null ? {} : { authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)) }),
    ...(login.inboxPrefix === undefined ? {} : { inboxPrefix: login.inboxPrefix }),
  };
}

/** The server turned the login down: retrying does not help, the message says what does. */
export class NatsLoginRefusedError extends NatsUnavailableError {
  override readonly name = 'NatsLoginRefusedError';
}

const isLoginRefused = (error: unknown): boolean =>
  error instanceof Error && /authorization violation|authentication/i.test(error.message);

/**
 * Connects with a bounded wait, then keeps reconnecting for ever: a node service outlives
 * a NATS restart, it does not exit when the server blips. A refused login ends the wait at
 * once (NatsLoginRefusedError): no retry would change the server's mind.
 */
export async function connectNats(
  url: string,
  name: string,
  timeoutMs = 10_000,
  login?: NatsLogin,
): Promise<NatsConnection> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  // Retry the first connection: in a cluster the services may start before NATS does.
  for (let attempt = 0; attempt < 100 && Date.now() < deadline; attempt += 1) {
    try {
      const connection = await connect({
        servers: url,
        name,
        timeout: Math.max(500, Math.min(2000, deadline - Date.now())),
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        ...loginOptions(login),
      });
      // Every service connects here, so every service logs what happens to its connection.
      void logNatsStatus(connection, name);
      return connection;
    } catch (error) {
      if (isLoginRefused(error)) {
        const how = login?.nkeySeed
          ? "its nkey is not one of the server's users: give it the seed generated with the server's configuration"
          : 'it has no login: set MESHMON_NATS_NKEY_FILE to the file with its nkey seed';
        throw new NatsLoginRefusedError(`NATS at ${url} refused ${name}'s login; ${how}`);
      }
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new NatsUnavailableError(
    `NATS at ${url} did not answer within ${timeoutMs} ms (${why}); start it (bash infra/local/start.sh) or set MESHMON_NATS_URL`,
  );
}

/**
 * Whether something accepts TCP connections at the NATS URL: a cheap test, without
 * the client's retries, of whether a start attempt is worth making yet.
 */
export function natsAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  let endpoint: { host: string; port: number };
  try {
    endpoint = natsEndpoint(url);
  } catch {
    return Promise.resolve(false);
  }
  const { host, port } = endpoint;
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: timeoutMs });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

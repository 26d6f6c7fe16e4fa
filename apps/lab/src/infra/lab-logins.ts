import type { ConnectionOptions } from '@nats-io/transport-node';
import type { NatsRole } from '@meshmon/contracts';
import type { Credentials } from '@meshmon/service-runtime';
import { natsLoginAs } from '@meshmon/service-runtime/credentials/local-logins.js';

export { NATS_AUTHORIZATION_FILE, type Credentials } from '@meshmon/service-runtime';
export { natsLoginAs };

/**
 * How the lab itself logs in to its NATS: as the observer, like a user with the NATS CLI.
 * It reads events and results and asks the sink for its counters; it publishes nothing
 * the services would act on.
 */
export function labNatsLogin(credentials: Credentials): Partial<ConnectionOptions> {
  return natsLoginAs(credentials, 'observer');
}

/** A service's NATS login, as settings: the file with its seed (never the seed itself). */
export function serviceNatsEnv(credentials: Credentials, role: NatsRole): Record<string, string> {
  return { MESHMON_NATS_NKEY_FILE: credentials.natsSeedFiles[role] };
}

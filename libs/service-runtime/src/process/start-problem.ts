import type { Problem } from '@meshmon/scheduling';
import { ConfigError } from '../errors/config-error.js';
import { LeaseStoreError } from '@meshmon/leases';
import { NatsLoginRefusedError, NatsUnavailableError } from '../nats/connect-nats.js';
import { AddressUnresolvedError } from '../resolve-address.js';
import { StreamSetupError } from '../nats/results-stream.js';
import * as SharedSettings from '../settings/shared-settings.js';

/** Why a service could not start, for the operator, and whether waiting may mend it. */
export interface StartProblem {
  readonly problems: readonly Problem[];
  /** A server not up yet: try again. A bad setting: nothing changes until a restart. */
  readonly retry: boolean;
}

/**
 * Sorts a start failure: what the operator must fix, naming the setting, or null for
 * a bug (which keeps its stack trace). Redis only fails a start in connectRedis.
 */
export function startProblem(
  error: unknown,
  more?: (error: unknown) => Problem | null,
): StartProblem | null {
  if (error instanceof ConfigError) return { problems: error.problems, retry: false };
  const server = (field: string) => ({
    problems: [{ field, rule: (error as Error).message }],
    retry: true,
  });
  if (error instanceof NatsLoginRefusedError) {
    const field = `${SharedSettings.NATS_NKEY.variable}_FILE`;
    return { problems: [{ field, rule: error.message }], retry: false };
  }
  if (error instanceof NatsUnavailableError || error instanceof StreamSetupError) {
    return server(SharedSettings.NATS_URL.variable);
  }
  if (error instanceof LeaseStoreError) return server(SharedSettings.REDIS_URL.variable);
  if (error instanceof AddressUnresolvedError) return server(SharedSettings.ADDRESS_VARIABLE);
  const other = more?.(error) ?? null;
  return other === null ? null : { problems: [other], retry: true };
}

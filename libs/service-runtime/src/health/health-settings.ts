import type { Problem } from '@meshmon/scheduling';
import type { ServiceName } from '@meshmon/contracts';
import { readSettings } from '../settings/read-settings.js';
import { integerSetting, optional, type Env } from '../settings/setting.js';
import { DEFAULT_HEALTH_PORTS, HEALTH_PORT_VARIABLE } from './health-ports.js';

/** Where a service serves its health, and what was wrong with the setting, if anything. */
export interface HealthSettings {
  readonly port: number;
  readonly host: string;
  /** A bad MESHMON_HEALTH_PORT: the service still serves health (on the default) but is not ready. */
  readonly problems: readonly Problem[];
}

/**
 * Reads MESHMON_HEALTH_PORT. Unset: the service runs as a plain process (the lab, a
 * developer's shell) and exits 2 on what the operator must fix. Set (the container
 * entrypoint always sets it): the service serves `/health/*` on it and, rather than
 * exiting into a crash loop, stays up not ready, naming the setting.
 */
export function healthSettings(service: ServiceName, env: Env): HealthSettings | null {
  const { values, problems } = readSettings(env, {
    port: optional(integerSetting(HEALTH_PORT_VARIABLE, { min: 1, max: 65_535 })),
  });
  // Every interface: kubelet probes the pod's address, Docker's check the loopback.
  const host = '0.0.0.0';
  // A bad port reads as unset: serve on the default, not ready, naming the setting.
  if (problems.length > 0) return { port: DEFAULT_HEALTH_PORTS[service], host, problems };
  return values.port === null ? null : { port: values.port, host, problems };
}

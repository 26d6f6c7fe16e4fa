import type { Problem } from '@meshmon/scheduling';
import type { ServiceName } from '@meshmon/contracts';
import { DEFAULT_HEALTH_PORTS, HEALTH_PORT_VARIABLE } from './health-ports.js';

type Env = Readonly<Record<string, string | undefined>>;

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
  const raw = env[HEALTH_PORT_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return null;
  // Every interface: kubelet probes the pod's address, Docker's check the loopback.
  const host = '0.0.0.0';
  const port = Number(raw);
  if (/^\d+$/.test(raw) && port >= 1 && port <= 65_535) return { port, host, problems: [] };
  const rule = `must be an integer in 1..65535 (got "${raw}")`;
  return {
    port: DEFAULT_HEALTH_PORTS[service],
    host,
    problems: [{ field: HEALTH_PORT_VARIABLE, rule }],
  };
}

import type { ServiceName } from '@meshmon/contracts';
import { CONTAINER_SERVICES, DEFAULT_HEALTH_PORTS, HEALTH_PORT_VARIABLE } from './health-ports.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The readiness URL a container's health check asks. Docker runs the check beside the
 * service with the container's configured environment, not the one the entrypoint
 * completed, so an unset port falls back to the service's default, the service being the
 * entrypoint's argument (`/proc/1/cmdline`).
 */
export function healthCheckUrl(env: Env, command: readonly string[]): string {
  const service = command.find((arg): arg is ServiceName =>
    (CONTAINER_SERVICES as readonly string[]).includes(arg),
  );
  const configured = env[HEALTH_PORT_VARIABLE]?.trim();
  let port: string;
  if (configured) port = configured;
  else if (service === 'gateway') port = env.MESHMON_GATEWAY_PORT?.trim() || '8080';
  else port = String(DEFAULT_HEALTH_PORTS[service ?? 'controller']);
  return `http://127.0.0.1:${port}/health/ready`;
}

import type { ServiceName } from '@meshmon/contracts';

/**
 * Where each service answers `/health/live` and `/health/ready` in a container. The
 * four node services share a pod's (or the host's) network namespace, so each has its
 * own port; the gateway answers on its HTTP port.
 */
export const DEFAULT_HEALTH_PORTS: Readonly<Record<ServiceName, number>> = {
  controller: 9401,
  sensor: 9402,
  monitor: 9403,
  'flow-discovery': 9404,
  'result-sink': 9405,
  gateway: 8080,
};

export const HEALTH_PORT_VARIABLE = 'MESHMON_HEALTH_PORT';

/**
 * The services the image runs, from the table above (which the type keeps complete), so
 * the health check need not load the contracts library: a check that takes seconds to
 * start under load would time out and get healthy tasks killed.
 */
export const CONTAINER_SERVICES = Object.keys(DEFAULT_HEALTH_PORTS) as readonly ServiceName[];

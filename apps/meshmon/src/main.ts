import type { ServiceName } from '@meshmon/contracts';
import {
  CONTAINER_SERVICES,
  DEFAULT_HEALTH_PORTS,
  HEALTH_PORT_VARIABLE,
} from '@meshmon/service-runtime/health/health-ports.js';

/**
 * Each service's main, imported only when chosen (a service loads nothing of the others).
 * Literal paths, so the import graph (and its test) sees every edge.
 */
const MAINS: Readonly<Record<ServiceName, () => Promise<unknown>>> = {
  controller: () => import('../../controller/src/main.js'),
  sensor: () => import('../../sensor/src/main.js'),
  monitor: () => import('../../monitor/src/main.js'),
  'flow-discovery': () => import('../../flow-discovery/src/main.js'),
  'result-sink': () => import('../../result-sink/src/main.js'),
  gateway: () => import('../../gateway/src/main.js'),
};

/**
 * The image's entrypoint: `meshmon <service>` runs one service of the one image. It
 * turns on the container behaviour (health endpoints; a bad setting leaves the service
 * up and not ready instead of exiting) by giving MESHMON_HEALTH_PORT its default.
 */
const service = process.argv[2];
const usage = `usage: meshmon <${CONTAINER_SERVICES.join('|')}>`;
if (service === '--help' || service === '-h') {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!(CONTAINER_SERVICES as readonly string[]).includes(service ?? '')) {
  process.stderr.write(
    `meshmon: the command must name a service (got "${service ?? ''}"); ${usage}\n`,
  );
  process.exit(2);
}
const name = service as ServiceName;
if (!process.env[HEALTH_PORT_VARIABLE]?.trim()) {
  process.env[HEALTH_PORT_VARIABLE] =
    name === 'gateway'
      ? process.env.MESHMON_GATEWAY_PORT?.trim() || String(DEFAULT_HEALTH_PORTS.gateway)
      : String(DEFAULT_HEALTH_PORTS[name]);
}
await MAINS[name]();

import type { ServiceName } from '@meshmon/contracts';
import { CONTAINER_SERVICES, DEFAULT_HEALTH_PORTS, HEALTH_PORT_VARIABLE } from '../health-ports.js';

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
// dist/libs/service-health/src/bin -> dist/apps/<service>/src/main.js
await import(new URL(`../../../../apps/${name}/src/main.js`, import.meta.url).href);

import { readFileSync } from 'node:fs';
import { healthCheckUrl } from '@meshmon/service-runtime/health/health-check-url.js';

/**
 * The image's HEALTHCHECK: exit 0 when the service in this container answers
 * `/health/ready` with 200, 1 otherwise, printing why (Docker keeps the last output in
 * `docker inspect`, so an operator sees the problem the service named).
 */
const command = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
const url = healthCheckUrl(process.env, command);
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2500) });
  const body = await response.text();
  process.stdout.write(`${response.status} ${body.slice(0, 1000)}\n`);
  process.exit(response.status === 200 ? 0 : 1);
} catch (error) {
  process.stdout.write(`${url}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

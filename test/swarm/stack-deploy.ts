import { writeFileSync } from 'node:fs';
import {
  ensureCredentials,
  type Credentials,
} from '@meshmon/service-runtime/credentials/credentials-folder.js';
import { join, resolve } from 'node:path';
import { docker } from './docker-cli.js';
import { stackSecretFiles } from '../../apps/compare/src/compare/suite-description.js';
import { GatewayClient } from '../e2e/gateway-client.js';
import {
  E2eFailure,
  MINUTE,
  figure,
  minutes,
  say,
  sayError,
  secondsBetween,
} from '../e2e/e2e-report.js';
import {
  AGENTS,
  HEALTHY_BOUND_MS,
  IMAGES,
  PORTS,
  REPO,
  SERVICES,
  STACK,
} from './swarm-settings.js';
import { diagnoseService, waitForHealthyStack } from './stack-readiness.js';

const WORK_DIR = join(REPO, '.tmp/swarm-e2e');

/**
 * Every secret of the stack (gateway token, Redis's and NATS's logins and users) from files
 * of this run's own, made as `npm run secrets` makes them, given by an override file.
 */
function writeSecretsOverride(): { override: string; credentials: Credentials } {
  const credentials = ensureCredentials(join(WORK_DIR, 'secrets'));
  const secrets = stackSecretFiles(REPO, credentials.folder);
  const override = join(WORK_DIR, 'secrets.yml');
  const yaml = [
    'version: "3.8"',
    'secrets:',
    ...Object.entries(secrets).flatMap(([name, file]) => [`  ${name}:`, `    file: ${file}`]),
    '',
  ].join('\n');
  writeFileSync(override, yaml);
  return { override, credentials };
}

/**
 * Deploys swarm/stack.yml + swarm/one-machine.yml with the offline images and the e2e
 * ports, and waits until every service has all its tasks running and healthy.
 */
export async function deployAndWait(): Promise<{
  gateway: GatewayClient;
  credentials: Credentials;
}> {
  const { override, credentials } = writeSecretsOverride();
  const env = {
    ...process.env,
    ...IMAGES,
    ...Object.fromEntries(Object.entries(PORTS).map(([name, port]) => [name, String(port)])),
    MESHMON_AGENTS: String(AGENTS),
    MESHMON_INFRA_ADDRESS: '127.0.0.1',
  };
  // MESHMON_SWARM_E2E_FILES: more compose files (colon-separated) merged last, to try a
  // change of the stack without editing swarm/.
  const extra = (process.env.MESHMON_SWARM_E2E_FILES ?? '').split(':').filter(Boolean);
  const files = [
    join(REPO, 'swarm/stack.yml'),
    join(REPO, 'swarm/one-machine.yml'),
    override,
    ...extra.map((file) => resolve(file)),
  ];
  if (extra.length > 0) say(`extra compose files: ${extra.join(', ')}`);
  const deployedAt = Date.now();
  // Local images only: no registry to record digests from.
  await docker(
    ['stack', 'deploy', '--resolve-image', 'never', ...files.flatMap((f) => ['-c', f]), STACK],
    { env, timeoutMs: 2 * MINUTE },
  );
  figure('stack deploy', `${secondsBetween(deployedAt, Date.now())} s`);

  const { ok, services } = await waitForHealthyStack(STACK, SERVICES.length, HEALTHY_BOUND_MS);
  const names = services.map((service) => service.name);
  const missing = SERVICES.filter((service) => !names.includes(`${STACK}_${service}`));
  if (!ok || missing.length > 0) {
    for (const service of services) sayError(await diagnoseService(service.name));
    throw new E2eFailure(
      missing.length > 0
        ? `the stack lacks ${missing.join(', ')}`
        : `not every service was running and healthy within ${minutes(HEALTHY_BOUND_MS)}`,
    );
  }
  const tasks = services.reduce((sum, service) => sum + service.desired, 0);
  figure(
    'deploy to all healthy',
    `${secondsBetween(deployedAt, Date.now())} s (${services.length} services, ${tasks} tasks)`,
  );
  const gateway = new GatewayClient(
    `http://127.0.0.1:${PORTS.MESHMON_GATEWAY_PORT}`,
    credentials.gatewayToken,
  );
  return { gateway, credentials };
}

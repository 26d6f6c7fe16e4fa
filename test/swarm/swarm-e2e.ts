/**
 * The real Docker Swarm deployment, end to end (`npm run test:swarm`): dockerd and a
 * one-node swarm, the images built offline, the host-network stack with three node
 * agents on this machine, every service healthy, CPS started through the gateway, a
 * stored result for every ordered pair in InfluxDB and no conflict among them. The stack,
 * the swarm and the daemon go again at the end, on failure and on SIGINT/SIGTERM too.
 * Prints its figures and one summary line; exit 0 = pass.
 *
 * A script rather than a jest project: it is one ordered sequence of steps that changes
 * the machine (a package, a daemon, a swarm) and must undo that whatever happens, with
 * steps of minutes; jest would add per-test timeouts and workers, not checks.
 */
import { portIsFree } from '@meshmon/service-runtime/free-port.js';
import { docker, killRunningScripts, runScript } from './docker-cli.js';
import {
  AGENTS,
  E2eFailure,
  IMAGES,
  MINUTE,
  PORTS,
  REPO,
  STACK,
  figure,
  figures,
  healthPorts,
  say,
  sayError,
  secondsBetween,
} from './e2e-settings.js';
import { measureAndCheck } from './coverage-check.js';
import { deployAndWait } from './stack-deploy.js';

const script = (file: string, args: string[], timeoutMs: number, env = process.env) =>
  runScript('bash', [file, ...args], { cwd: REPO, timeoutMs, env });

async function requireFreePorts(): Promise<void> {
  const wanted = [...Object.values(PORTS), ...healthPorts(AGENTS)];
  const taken: number[] = [];
  for (const port of wanted) if (!(await portIsFree('0.0.0.0', port))) taken.push(port);
  if (taken.length > 0) {
    throw new E2eFailure(`ports taken on this machine: ${taken.join(', ')}; free them and retry`);
  }
}

async function imageMegabytes(image: string): Promise<string> {
  const bytes = Number(await docker(['image', 'inspect', '--format', '{{.Size}}', image]));
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  await script('infra/swarm/docker-up.sh', [], 4 * MINUTE);
  figure('docker and swarm up', `${secondsBetween(startedAt, Date.now())} s`);
  // A stack that a killed earlier run left behind; the swarm and daemon stay.
  await script('infra/swarm/docker-down.sh', [STACK], 3 * MINUTE, {
    ...process.env,
    MESHMON_SWARM_KEEP: '1',
  });
  await requireFreePorts();

  const buildAt = Date.now();
  await script('infra/docker/build-ci-images.sh', [IMAGES.MESHMON_IMAGE], 8 * MINUTE);
  figure('images built', `${secondsBetween(buildAt, Date.now())} s`);
  for (const image of Object.values(IMAGES)) figure(`image ${image}`, await imageMegabytes(image));

  const gateway = await deployAndWait();
  await measureAndCheck(gateway);
  figure(
    'deployed and checked',
    `${secondsBetween(startedAt, Date.now())} s in all before clean-up`,
  );
}

let cleanup: Promise<boolean> | undefined;
/** Once, whoever asks first (the end of main, or a signal). */
function cleanUp(): Promise<boolean> {
  cleanup ??= script('infra/swarm/docker-down.sh', [STACK], 4 * MINUTE).then(
    () => true,
    (error: unknown) => {
      sayError(`swarm-e2e: clean-up failed: ${String(error)}`);
      return false;
    },
  );
  return cleanup;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    sayError(`swarm-e2e: ${signal}: removing the stack, leaving the swarm`);
    killRunningScripts();
    void cleanUp().finally(() => process.exit(1));
  });
}

const began = Date.now();
let failure: unknown = null;
try {
  await main();
} catch (error) {
  failure = error;
  sayError(`swarm-e2e: ${error instanceof Error ? error.stack : String(error)}`);
}
const cleanAt = Date.now();
const cleaned = await cleanUp();
figure('clean-up', `${secondsBetween(cleanAt, Date.now())} s${cleaned ? '' : ' (FAILED)'}`);
const total = `${secondsBetween(began, Date.now())} s`;
if (failure === null && cleaned) {
  say(`PASS in ${total}: ${figures.join('; ')}`);
} else {
  const why =
    failure instanceof Error
      ? failure.message
      : failure === null
        ? 'clean-up failed'
        : String(failure);
  say(`FAIL in ${total}: ${why}`);
  process.exitCode = 1;
}

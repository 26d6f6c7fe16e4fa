import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { portIsFree } from '@meshmon/service-runtime/free-port.js';
import { killRunningScripts, runScript } from '../e2e/commands.js';
import { E2eFailure, MINUTE, figure, secondsBetween } from '../e2e/e2e-report.js';
import type { E2eDeployment, E2eOrchestrator } from '../e2e/orchestrator.js';
import { docker } from './docker-cli.js';
import { deployAndWait } from './stack-deploy.js';
import { diagnoseService } from './stack-readiness.js';
import { AGENTS, IMAGES, PORTS, REPO, STACK, healthPorts } from './swarm-settings.js';

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

/**
 * Docker Swarm on this machine: dockerd and a one-node swarm (installed and started by
 * infra/swarm), the images built offline, swarm/stack.yml + swarm/one-machine.yml with
 * three node agents on the host network. The clean-up removes the stack, the swarm and
 * the daemon it started.
 */
export class SwarmE2e implements E2eOrchestrator {
  readonly name = 'swarm' as const;

  async unavailable(): Promise<string | null> {
    return null; // infra/swarm installs and starts what it needs
  }

  async prepare(): Promise<void> {
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
    for (const image of Object.values(IMAGES))
      figure(`image ${image}`, await imageMegabytes(image));
  }

  async deploy(): Promise<E2eDeployment> {
    const { gateway, credentials } = await deployAndWait();
    return {
      gateway,
      influxUrl: `http://127.0.0.1:${PORTS.MESHMON_INFLUX_PORT}`,
      database: 'meshmon',
      influxReader: credentials.influxReader,
      influxWriter: credentials.influxWriter,
      nodes: Array.from({ length: AGENTS }, (_, index) => `node${index + 1}`),
    };
  }

  async diagnose(): Promise<string[]> {
    const services = ['monitor', 'sensor', 'result-sink'];
    return Promise.all(services.map((service) => diagnoseService(`${STACK}_${service}`)));
  }

  async cleanUp(): Promise<void> {
    await script('infra/swarm/docker-down.sh', [STACK], 4 * MINUTE);
    // This run's token file goes with the stack.
    rmSync(join(REPO, '.tmp', 'swarm-e2e'), { recursive: true, force: true });
  }

  interrupt(): void {
    killRunningScripts();
  }
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerOrchestration } from './docker-orchestration.js';
import { run, type BlockContext, type Deployment, type Orchestration } from './deployment.js';

/** The stack's infrastructure services: the comparison brings its own, shared by every group. */
const INFRA_SERVICES = ['nats', 'redis', 'influxdb'];

/**
 * The suite as the Swarm stack itself: `docker stack deploy` of swarm/stack.yml and
 * swarm/one-machine.yml, plus a generated file that leaves out the stack's NATS, Redis
 * and InfluxDB (the comparison's shared ones serve every group), sets the block's
 * settings on every Meshmon service and gives the stack the run's own secret files.
 */
export class SwarmOrchestration extends DockerOrchestration implements Orchestration {
  readonly name = 'swarm' as const;

  async deploy(context: BlockContext): Promise<Deployment> {
    const override = join(context.folder, 'swarm-override.yml');
    // JSON is YAML: the compose loader reads it as it is.
    writeFileSync(
      override,
      JSON.stringify(
        {
          version: '3.8',
          services: {
            ...Object.fromEntries(
              INFRA_SERVICES.map((name) => [name, { deploy: { mode: 'replicated', replicas: 0 } }]),
            ),
            ...Object.fromEntries(
              context.suite.map((spec) => [spec.name, { environment: { ...context.overrides } }]),
            ),
          },
          secrets: Object.fromEntries(
            Object.entries(context.secretFiles).map(([name, file]) => [name, { file }]),
          ),
        },
        null,
        2,
      ),
    );
    const stack = context.name;
    const deployment = { stop: () => removeStack(context.repo, stack) };
    try {
      await run(
        'docker',
        [
          'stack',
          'deploy',
          '--resolve-image',
          'never',
          '-c',
          join(context.repo, 'swarm/stack.yml'),
          '-c',
          join(context.repo, 'swarm/one-machine.yml'),
          '-c',
          override,
          stack,
        ],
        { timeoutMs: 180_000, env: { ...process.env, ...context.variables } },
      );
    } catch (error) {
      await deployment.stop().catch(() => undefined);
      throw error;
    }
    return deployment;
  }
}

/** docker-down.sh waits until the stack's containers are gone; the swarm and daemon stay. */
async function removeStack(repo: string, stack: string): Promise<void> {
  await run('bash', [join(repo, 'infra/swarm/docker-down.sh'), stack], {
    timeoutMs: 300_000,
    env: { ...process.env, MESHMON_SWARM_KEEP: '1' },
  });
}

import { instanceEnv } from '../suite-description.js';
import { DockerOrchestration } from './docker-orchestration.js';
import {
  instancesOf,
  run,
  type BlockContext,
  type Deployment,
  type Orchestration,
} from './deployment.js';

/**
 * The suite as plain containers (`docker run`, no orchestrator): the stack's image,
 * command, settings, user, capabilities, bind mounts, secrets (as read-only files) and
 * limits, on the host network as the stack runs.
 */
export class ContainerOrchestration extends DockerOrchestration implements Orchestration {
  readonly name = 'container' as const;

  async deploy(context: BlockContext): Promise<Deployment> {
    const names: string[] = [];
    const deployment = { stop: () => removeContainers(names) };
    try {
      for (const spec of context.suite) {
        for (const slot of instancesOf(spec, context.nodes)) {
          const name = `${context.name}-${spec.name}${slot === null ? '' : `-node${slot}`}`;
          const env = { ...instanceEnv(spec, slot, context.hostname), ...context.overrides };
          const args = [
            'run',
            '--detach',
            '--name',
            name,
            '--network',
            'host',
            '--user',
            spec.user,
            '--label',
            `meshmon.compare=${context.name}`,
            ...spec.capDrop.flatMap((cap) => ['--cap-drop', cap]),
            ...spec.capAdd.flatMap((cap) => ['--cap-add', cap]),
            ...spec.binds.flatMap((bind) => [
              '--mount',
              `type=bind,source=${bind.source},target=${bind.target}${bind.readOnly ? ',readonly' : ''}`,
            ]),
            ...spec.secrets.flatMap((secret) => [
              '--mount',
              `type=bind,source=${secret.source},target=${secret.target},readonly`,
            ]),
            ...(spec.limits.cpus ? ['--cpus', spec.limits.cpus] : []),
            ...(spec.limits.memory ? ['--memory', spec.limits.memory.toLowerCase()] : []),
            ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
            context.image,
            ...spec.command,
          ];
          await run('docker', args, { timeoutMs: 120_000 });
          names.push(name);
        }
      }
    } catch (error) {
      await deployment.stop().catch(() => undefined);
      throw error;
    }
    return deployment;
  }

  async finish(): Promise<void> {}
}

async function removeContainers(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  // stop first: the services close in order (their last samples go out), then go.
  await run('docker', ['stop', '--time', '10', ...names], { timeoutMs: 120_000 }).catch(
    () => undefined,
  );
  await run('docker', ['rm', '--force', ...names], { timeoutMs: 120_000 });
}

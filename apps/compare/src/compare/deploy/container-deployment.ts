import { instanceEnv, type ServiceSpec } from '../suite-description.js';
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
 * command, settings, user, capabilities, read-only root, bind mounts, volumes (each
 * container's own, removed with it), tmpfs mounts, secrets (as read-only files), health
 * check and limits, on the host network as the stack runs.
 */
export class ContainerOrchestration extends DockerOrchestration implements Orchestration {
  readonly name = 'container' as const;

  async deploy(context: BlockContext): Promise<Deployment> {
    const names: string[] = [];
    const deployment = { stop: () => removeContainers(context.name, names) };
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
            ...[...spec.binds, ...spec.secrets].flatMap((mount) => mountSafe(mount.source)),
            ...spec.binds.flatMap((bind) => [
              '--mount',
              `type=bind,source=${bind.source},target=${bind.target}${bind.readOnly ? ',readonly' : ''}`,
            ]),
            ...(spec.readOnlyRoot ? ['--read-only'] : []),
            ...spec.tmpfs.flatMap((target) => ['--tmpfs', target]),
            ...spec.volumes.flatMap((target) => ['--mount', `type=volume,target=${target}`]),
            ...spec.secrets.flatMap((secret) => [
              '--mount',
              `type=bind,source=${secret.source},target=${secret.target},readonly`,
            ]),
            ...healthFlags(spec.healthcheck),
            ...(spec.limits.cpus ? ['--cpus', spec.limits.cpus] : []),
            ...(spec.limits.memory ? ['--memory', spec.limits.memory.toLowerCase()] : []),
            ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
            context.image,
            ...spec.command,
          ];
          // Named before it runs: a run that times out may still have made the container.
          names.push(name);
          await run('docker', args, { timeoutMs: 120_000 });
        }
      }
    } catch (error) {
      await deployment.stop().catch(() => undefined);
      throw error;
    }
    return deployment;
  }
}

/** `--mount` is comma-separated: a path with a comma would add options of its own. */
function mountSafe(source: string): never[] {
  if (source.includes(',')) {
    throw new Error(`cannot mount ${source} with docker run --mount: the path has a comma`);
  }
  return [];
}

/** The stack's health check as `docker run` takes it: the stack file stays the one source. */
function healthFlags(check: ServiceSpec['healthcheck']): string[] {
  if (check === null) return ['--no-healthcheck'];
  return [
    '--health-cmd',
    check.command.map((word) => JSON.stringify(word)).join(' '),
    '--health-interval',
    check.interval,
    '--health-timeout',
    check.timeout,
    '--health-retries',
    String(check.retries),
    '--health-start-period',
    check.startPeriod,
  ];
}

/** The block's containers, found by their label too (one a failed run left unnamed). */
async function removeContainers(block: string, names: readonly string[]): Promise<void> {
  const labelled = (
    await run('docker', ['ps', '-aq', '--filter', `label=meshmon.compare=${block}`], {
      timeoutMs: 60_000,
    })
  )
    .split('\n')
    .filter((id) => id.trim() !== '');
  if (names.length === 0 && labelled.length === 0) return;
  // stop first: the services close in order (their last samples go out), then go.
  await run('docker', ['stop', '--time', '10', ...names], { timeoutMs: 120_000 }).catch(
    () => undefined,
  );
  const all = [...new Set([...names, ...labelled])];
  // rm -f of a name never created fails the whole command: remove one by one, then check.
  for (const one of all) {
    // --volumes: the container's own anonymous volumes (the outbox) go with it.
    await run('docker', ['rm', '--force', '--volumes', one], { timeoutMs: 120_000 }).catch(
      () => undefined,
    );
  }
  const left = await run('docker', ['ps', '-aq', '--filter', `label=meshmon.compare=${block}`], {
    timeoutMs: 60_000,
  });
  if (left.trim() !== '') {
    throw new Error(
      `containers of ${block} still there after docker rm: ${left.trim().split('\n').join(', ')}`,
    );
  }
}

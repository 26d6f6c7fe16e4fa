import { readFileSync } from 'node:fs';
import { healthCheckUrl } from '@meshmon/service-runtime';
import type {
  DeploymentDescription,
  HealthDescription,
  MountDescription,
} from './deployment-description.js';
import { listeningPorts } from './listening-ports.js';
import { dockerBytes, dockerMillicores, durationSeconds, quantity } from './quantities.js';
import type { StackConfig, SwarmService } from './stack-config.js';

/** The image's HEALTHCHECK program, which asks the service's /health/ready. */
export const MESHMON_HEALTHCHECK = '/app/dist/apps/meshmon/src/healthcheck.js';

/**
 * One description per service of a normalised stack (`docker stack config` output).
 * With `taskSlot`, `{{.Task.Slot}}` in the environment reads as that task's slot, as
 * Swarm expands it per task; other templates stay as written.
 */
export function describeSwarm(
  stack: StackConfig,
  options: { taskSlot?: number } = {},
): Map<string, DeploymentDescription> {
  const descriptions = new Map<string, DeploymentDescription>();
  for (const [service, spec] of Object.entries(stack.services)) {
    const env = environment(service, spec, options.taskSlot);
    const entrypoint = spec.entrypoint ?? null;
    const command = spec.command ?? null;
    const limits = spec.deploy?.resources?.limits;
    const reservations = spec.deploy?.resources?.reservations;
    descriptions.set(service, {
      service,
      image: spec.image,
      entrypoint,
      command,
      env,
      ports: listeningPorts({ service, entrypoint, command, env }),
      health: health(spec, env),
      resources: {
        cpuRequestMillicores: quantity(reservations?.cpus, dockerMillicores),
        cpuLimitMillicores: quantity(limits?.cpus, dockerMillicores),
        memoryRequestBytes: quantity(reservations?.memory, dockerBytes),
        memoryLimitBytes: quantity(limits?.memory, dockerBytes),
      },
      replication:
        spec.deploy?.mode === 'global' ? 'global' : `replicated:${spec.deploy?.replicas ?? 1}`,
      hostNetwork: Object.keys(spec.networks ?? {}).some((key) => {
        const network = stack.networks?.[key];
        return network?.external === true && network.name === 'host';
      }),
      user: spec.user ?? null,
      capabilities: {
        add: [...(spec.cap_add ?? [])].sort(),
        drop: [...(spec.cap_drop ?? [])].sort(),
      },
      readOnlyRoot: spec.read_only === true,
      mounts: mounts(stack, service, spec),
    });
  }
  return descriptions;
}

function environment(service: string, spec: SwarmService, slot?: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.environment ?? {})) {
    // `KEY:` with no value takes the deploying shell's variable: never what we want.
    if (value === null) throw new Error(`${service}: ${key} has no value`);
    env[key] = slot === undefined ? value : value.replaceAll('{{.Task.Slot}}', String(slot));
  }
  return env;
}

function health(spec: SwarmService, env: Record<string, string>): HealthDescription | null {
  const check = spec.healthcheck;
  if (!check) return null;
  return {
    check: checkOf(spec, env, check.test),
    intervalSeconds: durationSeconds(check.interval) ?? 30,
    timeoutSeconds: durationSeconds(check.timeout) ?? 30,
    retries: check.retries ?? 3,
    startSeconds: durationSeconds(check.start_period) ?? 0,
  };
}

/** What a health check asks, in the terms of a k8s probe: `GET :<port><path>` or `exec ...`. */
function checkOf(spec: SwarmService, env: Record<string, string>, test: readonly string[]): string {
  const [form, ...argv] = test;
  if (form !== 'CMD')
    throw new Error(`health check ${JSON.stringify(test)}: only the CMD form is described`);
  if (argv[0] === 'node' && argv[1] === MESHMON_HEALTHCHECK) {
    // The same function the program runs, on the container's environment and command.
    return httpCheck(healthCheckUrl(env, spec.command ?? []));
  }
  if (argv[0] === 'wget') {
    const url = argv.find((arg) => arg.startsWith('http://'));
    if (!url) throw new Error(`health check ${JSON.stringify(test)}: wget without a URL`);
    return httpCheck(url);
  }
  return `exec ${argv.join(' ')}`;
}

function httpCheck(url: string): string {
  const parsed = new URL(url);
  return `GET :${parsed.port || '80'}${parsed.pathname}`;
}

function mounts(
  stack: StackConfig,
  service: string,
  spec: SwarmService,
): Record<string, MountDescription> {
  const found: Record<string, MountDescription> = {};
  for (const volume of spec.volumes ?? []) {
    if (volume.type === 'volume') found[volume.target] = { kind: 'volume' };
    else if (volume.type === 'tmpfs') found[volume.target] = { kind: 'tmpfs' };
    else if (volume.type === 'bind' && volume.source)
      found[volume.target] = {
        kind: 'host',
        source: volume.source,
        readOnly: volume.read_only === true,
      };
    else throw new Error(`${service}: a ${volume.type} mount this test does not describe`);
  }
  const file = (kind: 'config', source: string): string => {
    const path = stack.configs?.[source]?.file;
    if (!path) throw new Error(`${service}: ${kind} ${source} is not defined from a file`);
    return readFileSync(path, 'utf8');
  };
  for (const config of spec.configs ?? [])
    found[config.target ?? `/${config.source}`] = {
      kind: 'config',
      content: file('config', config.source),
    };
  for (const secret of spec.secrets ?? []) {
    const target = secret.target ?? secret.source;
    const path = target.startsWith('/') ? target : `/run/secrets/${target}`;
    if (!stack.secrets?.[secret.source]?.file)
      throw new Error(`${service}: secret ${secret.source} is not defined from a file`);
    found[path] = { kind: 'secret' };
  }
  return found;
}

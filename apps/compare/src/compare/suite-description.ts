/**
 * The suite as swarm/stack.yml and swarm/one-machine.yml define it, read once so that
 * every deployment (plain processes, plain containers, the Swarm stack itself) runs the
 * same commands with the same settings, users, capabilities, mounts and limits: the stack
 * file is the one source; the other cases are derived from it, not written again.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { SERVICE_NAMES, type ServiceName } from '@meshmon/contracts';

/** One Meshmon service of the stack, with the stack's variables filled in. */
export interface ServiceSpec {
  readonly name: ServiceName;
  /** Runs once per node (the node agents and flow discovery), else once. */
  readonly perNode: boolean;
  readonly command: readonly string[];
  readonly user: string;
  /** With `{{.Task.Slot}}` and `{{.Node.Hostname}}` still in (see instanceEnv). */
  readonly env: Readonly<Record<string, string>>;
  readonly capDrop: readonly string[];
  readonly capAdd: readonly string[];
  readonly binds: readonly { source: string; target: string; readOnly: boolean }[];
  /** Where the stack mounts a volume of the task's own (the monitor's outbox). */
  readonly volumes: readonly string[];
  /** Where it mounts a tmpfs (/tmp, with the root file system read-only). */
  readonly tmpfs: readonly string[];
  /** The root file system read-only (`read_only: true`). */
  readonly readOnlyRoot: boolean;
  /** The secret files the stack mounts: the stack's name for each, its file, where it goes. */
  readonly secrets: readonly { name: string; source: string; target: string }[];
  readonly limits: { readonly cpus: string | null; readonly memory: string | null };
  /** The stack's health check (run inside the container, so its cost is the group's). */
  readonly healthcheck: {
    readonly command: readonly string[];
    readonly interval: string;
    readonly timeout: string;
    readonly retries: number;
    readonly startPeriod: string;
  } | null;
}

interface StackService {
  command?: string[];
  user?: string;
  environment?: Record<string, string | number | boolean | null>;
  cap_drop?: string[];
  cap_add?: string[];
  read_only?: boolean;
  volumes?: { type: string; source?: string; target: string; read_only?: boolean }[];
  secrets?: { source: string; target?: string }[];
  deploy?: { mode?: string; resources?: { limits?: { cpus?: string; memory?: string } } };
  healthcheck?: {
    test?: string[];
    interval?: string;
    timeout?: string;
    retries?: number;
    start_period?: string;
  };
}

interface StackFile {
  services: Record<string, StackService>;
  secrets?: Record<string, { file?: string }>;
}

/** `${NAME:-default}` and `${NAME}` as `docker stack deploy` fills them in. */
export function interpolate(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_whole, name: string, fallback) => {
    const value = variables[name];
    return value !== undefined && value !== '' ? value : (fallback ?? '');
  });
}

function readStack(path: string): StackFile {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as StackFile;
}

/**
 * Every secret swarm/stack.yml defines, as a file of the same name in `folder`: a
 * credentials folder (ensureCredentials) holds each under the name `npm run secrets` gives
 * it in swarm/secrets/, so one run's own secrets replace the deployment's in an override.
 */
export function stackSecretFiles(repo: string, folder: string): Record<string, string> {
  const stack = readStack(join(repo, 'swarm/stack.yml'));
  return Object.fromEntries(
    Object.entries(stack.secrets ?? {}).map(([name, secret]) => {
      if (!secret.file)
        throw new Error(`swarm/stack.yml: secret ${name} is not defined from a file`);
      return [name, join(folder, basename(secret.file))];
    }),
  );
}

/**
 * The six Meshmon services of the host-network stack merged with the one-machine file
 * (environment merged key by key, as a later compose file does), variables filled in.
 */
export function describeSuite(
  repo: string,
  variables: Readonly<Record<string, string>>,
): ServiceSpec[] {
  const base = readStack(join(repo, 'swarm/stack.yml'));
  const machine = readStack(join(repo, 'swarm/one-machine.yml'));
  const fill = (value: unknown) => interpolate(String(value), variables);
  return SERVICE_NAMES.map((name) => {
    const service = base.services[name];
    if (!service) throw new Error(`swarm/stack.yml has no service ${name}`);
    const extra = machine.services[name] ?? {};
    const environment = { ...service.environment, ...extra.environment };
    return {
      name,
      perNode: service.deploy?.mode === 'global',
      command: (service.command ?? []).map(fill),
      user: fill(service.user ?? ''),
      env: Object.fromEntries(
        Object.entries(environment)
          .filter(([, value]) => value !== null && value !== undefined)
          .map(([key, value]) => [key, fill(value)]),
      ),
      capDrop: service.cap_drop ?? [],
      capAdd: service.cap_add ?? [],
      binds: (service.volumes ?? [])
        .filter((volume) => volume.type === 'bind' && volume.source !== undefined)
        .map((volume) => ({
          source: volume.source!,
          target: volume.target,
          readOnly: volume.read_only === true,
        })),
      volumes: (service.volumes ?? [])
        .filter((volume) => volume.type === 'volume')
        .map((volume) => volume.target),
      tmpfs: (service.volumes ?? [])
        .filter((volume) => volume.type === 'tmpfs')
        .map((volume) => volume.target),
      readOnlyRoot: service.read_only === true,
      secrets: (service.secrets ?? []).map((secret) => ({
        name: secret.source,
        source: join(repo, 'swarm', base.secrets?.[secret.source]?.file ?? secret.source),
        target: `/run/secrets/${secret.target ?? secret.source}`,
      })),
      limits: {
        cpus: service.deploy?.resources?.limits?.cpus ?? null,
        memory: service.deploy?.resources?.limits?.memory ?? null,
      },
      healthcheck:
        service.healthcheck?.test?.[0] === 'CMD'
          ? {
              command: service.healthcheck.test.slice(1).map(fill),
              interval: service.healthcheck.interval ?? '30s',
              timeout: service.healthcheck.timeout ?? '30s',
              retries: service.healthcheck.retries ?? 3,
              startPeriod: service.healthcheck.start_period ?? '0s',
            }
          : null,
    };
  });
}

/**
 * One instance's environment: Swarm's templates filled in as Swarm would for replica
 * `slot` on this host (one-machine.yml names node N `nodeN` on 127.0.0.1N).
 */
export function instanceEnv(
  spec: ServiceSpec,
  slot: number | null,
  hostname: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(spec.env).map(([key, value]) => [
      key,
      value
        .replaceAll('{{.Task.Slot}}', slot === null ? '1' : String(slot))
        .replaceAll('{{.Node.Hostname}}', hostname),
    ]),
  );
}

import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { instanceEnv } from '../suite-description.js';
import {
  instancesOf,
  REPO,
  run,
  type BlockContext,
  type Deployment,
  type Orchestration,
} from './deployment.js';

const STOP_GRACE_MS = 10_000;

/**
 * The suite as plain processes: the image's own command (`node dist/apps/meshmon/src/main.js
 * <service>`) from this checkout's build, with the stack's settings, as the stack's user
 * when this runs as root and that user can reach the checkout (else as root, which each
 * log says). No cgroup limits and no capability changes: a plain host
 * process has none. A bind mount of the stack becomes the host path it mounts.
 */
export class ProcessOrchestration implements Orchestration {
  readonly name = 'process' as const;
  readonly hasDaemons = false;

  async unavailable(): Promise<string | null> {
    return null;
  }

  async prepare(say: (line: string) => void): Promise<void> {
    say('process: building the services (npm run build)');
    await run('npm', ['run', '-s', 'build'], { timeoutMs: 300_000, cwd: REPO });
  }

  async deploy(context: BlockContext): Promise<Deployment> {
    const children: ChildProcess[] = [];
    const asUser = process.getuid?.() === 0;
    // What the stack keeps in a volume (the monitors' outbox) goes under the block's folder,
    // writable by the user the services run as.
    const outbox = join(context.folder, 'outbox');
    mkdirSync(outbox, { recursive: true });
    for (const spec of context.suite) {
      const [uid, gid] = spec.user.split(':').map(Number);
      const switchUser = asUser && Number.isInteger(uid) && reachableBy(context.repo, uid, gid);
      if (switchUser) chownSync(outbox, uid, gid);
      for (const slot of instancesOf(spec, context.nodes)) {
        const env = hostPaths(
          {
            ...instanceEnv(spec, slot, context.hostname),
            ...context.overrides,
            MESHMON_OUTBOX_DIR: outbox,
          },
          spec,
        );
        const log = createWriteStream(
          join(context.folder, `${spec.name}${slot === null ? '' : `-node${slot}`}.log`),
        );
        if (asUser && !switchUser) {
          log.write(`running as root: ${context.repo} is not reachable by ${spec.user}\n`);
        }
        const child = spawn(
          process.execPath,
          [join(context.repo, 'dist/apps/meshmon/src/main.js'), ...spec.command],
          {
            env: { PATH: process.env.PATH, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
            ...(switchUser ? { uid, gid } : {}),
          },
        );
        // Two pipes into one log: it ends once the child has closed both, not with the first.
        child.stdout?.pipe(log, { end: false });
        child.stderr?.pipe(log, { end: false });
        child.once('close', () => log.end());
        // A spawn failure (no such file, no permission) goes to its log, not up as a crash.
        child.once('error', (error) => log.write(`spawn failed: ${error.message}\n`));
        children.push(child);
      }
    }
    return { stop: () => stopAll(children) };
  }

  async finish(): Promise<void> {}
}

/**
 * Whether `uid:gid` can reach `path`: every folder from it up to / lets that user through
 * (a checkout in a 0700 temporary folder of root's does not).
 */
function reachableBy(path: string, uid: number, gid: number): boolean {
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    const { mode, uid: owner, gid: group } = statSync(folder);
    const search = owner === uid ? 0o100 : group === gid ? 0o010 : 0o001;
    if ((mode & search) === 0) return false;
    if (dirname(folder) === folder) return true;
  }
}

/** A container path the stack bind-mounts (or a secret) is the host's own path here. */
function hostPaths(
  env: Record<string, string>,
  spec: {
    binds: readonly { source: string; target: string }[];
    secrets: readonly { source: string; target: string }[];
  },
): Record<string, string> {
  const mounts = [...spec.binds, ...spec.secrets];
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => {
      const mount = mounts.find((m) => value === m.target || value.startsWith(`${m.target}/`));
      return [key, mount ? mount.source + value.slice(mount.target.length) : value];
    }),
  );
}

async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          const gone = child.pid === undefined || child.exitCode !== null;
          if (gone || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

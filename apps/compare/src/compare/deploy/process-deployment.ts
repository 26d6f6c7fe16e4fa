import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
 * when this runs as root. No cgroup limits and no capability changes: a plain host
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
      if (asUser && Number.isInteger(uid)) chownSync(outbox, uid, gid);
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
        const child = spawn(
          process.execPath,
          [join(context.repo, 'dist/apps/meshmon/src/main.js'), ...spec.command],
          {
            env: { PATH: process.env.PATH, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
            ...(asUser && Number.isInteger(uid) ? { uid, gid } : {}),
          },
        );
        child.stdout?.pipe(log);
        child.stderr?.pipe(log);
        // A spawn failure (no such file, no permission) goes to its log, not up as a crash.
        child.once('error', (error) => log.write(`spawn failed: ${error.message}\n`));
        children.push(child);
      }
    }
    return { stop: () => stopAll(children) };
  }

  async finish(): Promise<void> {}
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

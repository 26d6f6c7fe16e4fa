import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export interface NamespaceProcess {
  readonly pid: number;
  readonly running: boolean;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs: number): Promise<void>;
}

export interface SpawnInNamespace {
  readonly namespace: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Pins the process (and everything it starts) to these CPUs, e.g. "1". */
  readonly cpus?: string;
}

/**
 * Starts a command inside a network namespace. `ip netns exec` and `taskset` both exec
 * in place, so the pid returned is the command's own and signals reach it directly.
 */
export function spawnInNamespace(options: SpawnInNamespace): NamespaceProcess {
  const log = openSync(options.logFile, 'a');
  const pinned = options.cpus ? ['taskset', '-c', options.cpus] : [];
  const child = spawn(
    'ip',
    ['netns', 'exec', options.namespace, ...pinned, options.command, ...options.args],
    {
      env: options.env,
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  let running = child.pid !== undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once('error', () => {
      running = false;
      resolve({ code: null, signal: null });
    });
  });
  const kill = (signal: NodeJS.Signals) => {
    if (running) child.kill(signal);
  };
  return {
    pid: child.pid ?? -1,
    get running() {
      return running;
    },
    exited,
    kill,
    async stop(graceMs: number) {
      if (!running) return;
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

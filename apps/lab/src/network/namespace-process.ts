import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { namespaceInode, netnsOf } from './namespace-pids.js';

/** Where a process runs besides its namespace; its children inherit all of it. */
export interface ProcessPlacement {
  /** `cgroup.procs` files the process joins before it starts (CpuCgroup.procsFiles). */
  readonly cgroupProcsFiles?: readonly string[];
  /** CPUs for `taskset -c`, e.g. "1" or "0,2-3". */
  readonly cpus?: string;
  /**
   * Niceness, -20 (first) to 19 (last). With autogroup scheduling on, niceness only ranks
   * processes of one session, and each spawned process starts a session of its own, so the
   * session's autogroup gets the same niceness (/proc/<pid>/autogroup).
   */
  readonly nice?: number;
}

export interface NamespaceCommand {
  readonly namespace: string;
  readonly command: string;
  readonly args?: readonly string[];
  /** The process's whole environment; PATH is taken from this process when it has none. */
  readonly env?: Readonly<Record<string, string>>;
  /** stdout and stderr are appended here; the folder is created when missing. */
  readonly logFile: string;
  readonly placement?: ProcessPlacement;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface NamespaceProcess {
  /** The command's own pid: every wrapper before it execs in place. */
  readonly pid: number;
  readonly running: boolean;
  readonly exited: Promise<ProcessExit>;
  /** Signals the process group: the command and whatever it started and did not detach. */
  signal(signal: NodeJS.Signals): void;
  /**
   * SIGTERM to the group, SIGKILL after `graceMs`, then SIGKILL to what is left of the
   * group (children of a command that exited without them). Rejects if the process is
   * still there two seconds after SIGKILL (stuck in the kernel).
   */
  stop(graceMs: number): Promise<ProcessExit>;
}

export class NamespaceProcessError extends Error {
  override readonly name = 'NamespaceProcessError';
}

/**
 * Joins the cgroups, then execs the rest of the command line. Joining happens here, before
 * `ip netns exec`, because that command mounts a fresh /sys for the namespace, in which
 * /sys/fs/cgroup is empty.
 */
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 126; shift; n=$((n - 1)); done; exec "$@"';
const CPU_LIST = /^\d{1,4}(-\d{1,4})?(,\d{1,4}(-\d{1,4})?)*$/;
/** Entering takes a few ms (sh, taskset, nice and ip each exec once); this is a stuck start. */
const ENTER_TIMEOUT_MS = 5000;
const AUTOGROUP_SWITCH = '/proc/sys/kernel/sched_autogroup_enabled';
const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/;

/**
 * Starts `command` inside a network namespace with `ip netns exec`. Every wrapper (sh for
 * the cgroups, taskset, nice, ip) execs in place, so the pid is the command's own. The
 * process gets its own process group (detached): Ctrl-C in the terminal reaches only the
 * lab, whose cleanup then stops the services in order, instead of every service at once.
 */
export async function spawnInNamespace(o: NamespaceCommand): Promise<NamespaceProcess> {
  const argv = commandLine(o);
  const env = { ...o.env };
  env.PATH ??= process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';
  mkdirSync(dirname(o.logFile), { recursive: true });
  const log = openSync(o.logFile, 'a');
  let child;
  try {
    writeSync(log, `# ${new Date().toISOString()} ${argv.join(' ')}\n`);
    child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', log, log], detached: true });
  } finally {
    closeSync(log);
  }
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(
        new NamespaceProcessError(`starting ${argv.join(' ')}: ${error.message}`, { cause: error }),
      ),
    );
  });
  const pid = child.pid as number;
  let running = true;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  await untilInside(pid, o.namespace, () => running);
  if (o.placement?.nice !== undefined) await setAutogroupNice(pid, o.placement.nice);
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };
  return {
    pid,
    get running() {
      return running;
    },
    exited,
    signal: signalGroup,
    async stop(graceMs: number) {
      if (running) {
        signalGroup('SIGTERM');
        const kill = setTimeout(() => signalGroup('SIGKILL'), graceMs);
        const stuck = new Promise<null>((resolve) =>
          setTimeout(resolve, graceMs + 2000, null).unref(),
        );
        const outcome = await Promise.race([exited, stuck]);
        clearTimeout(kill);
        if (outcome === null) {
          throw new NamespaceProcessError(
            `pid ${pid} (${o.command} in ${o.namespace}) did not exit within ${graceMs + 2000} ms`,
          );
        }
      }
      signalGroup('SIGKILL');
      return exited;
    },
  };
}

/** The full command line, wrappers first; exported for tests. */
export function commandLine(o: NamespaceCommand): string[] {
  if (!NAMESPACE.test(o.namespace)) {
    throw new NamespaceProcessError(`namespace must be a plain name (got "${o.namespace}")`);
  }
  const placement = o.placement ?? {};
  const argv: string[] = [];
  const files = placement.cgroupProcsFiles ?? [];
  if (files.length > 0) argv.push('sh', '-c', JOIN_CGROUPS, 'sh', String(files.length), ...files);
  if (placement.cpus !== undefined) {
    if (!CPU_LIST.test(placement.cpus)) {
      throw new NamespaceProcessError(
        `cpus must be a CPU list like "1" or "0,2-3" (got "${placement.cpus}")`,
      );
    }
    if (!onPath('taskset')) {
      throw new NamespaceProcessError(
        'cpus needs taskset (Debian package util-linux); without it, confine the process with a cpuset cgroup (CpuCgroup with cpus) instead',
      );
    }
    argv.push('taskset', '-c', placement.cpus);
  }
  if (placement.nice !== undefined) {
    if (!Number.isInteger(placement.nice) || placement.nice < -20 || placement.nice > 19) {
      throw new NamespaceProcessError(
        `nice must be an integer from -20 to 19 (got ${placement.nice})`,
      );
    }
    argv.push('nice', '-n', String(placement.nice));
  }
  argv.push('ip', 'netns', 'exec', o.namespace, o.command, ...(o.args ?? []));
  return argv;
}

/**
 * Waits until the process has entered the namespace (and so has joined its cgroups and
 * exec'd all wrappers before that). Before then it is in no namespace a teardown looks at,
 * so a teardown that starts right after spawn would miss it. A command that fails before
 * it gets there (no such namespace) simply exits, which ends the wait too.
 */
async function untilInside(pid: number, namespace: string, running: () => boolean): Promise<void> {
  const inode = await namespaceInode(namespace);
  const wanted = `net:[${inode}]`;
  const deadline = Date.now() + ENTER_TIMEOUT_MS;
  while (running() && inode !== null) {
    if ((await netnsOf(pid)) === wanted) return;
    if (Date.now() > deadline) {
      killGroupQuietly(pid);
      throw new NamespaceProcessError(
        `pid ${pid} did not enter ${namespace} within ${ENTER_TIMEOUT_MS} ms`,
      );
    }
    await sleep(2);
  }
}

function killGroupQuietly(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function setAutogroupNice(pid: number, nice: number): Promise<void> {
  try {
    if ((await readFile(AUTOGROUP_SWITCH, 'utf8')).trim() !== '1') return;
    await writeFile(`/proc/${pid}/autogroup`, String(nice));
  } catch (error) {
    // No autogroup support (file missing) or the process already exited: nothing to rank.
    if (!['ENOENT', 'ESRCH'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

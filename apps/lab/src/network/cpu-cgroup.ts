import { access, mkdir, readFile, readdir, rmdir, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** statfs f_type of a cgroup v2 mount, what `stat -fc %T /sys/fs/cgroup` prints as cgroup2fs. */
const CGROUP2_SUPER_MAGIC = 0x63677270;
const CGROUP_ROOT = '/sys/fs/cgroup';
/** CFS bandwidth control's own default period. */
export const DEFAULT_PERIOD_US = 100_000;
/** A group's CPU weight: the kernel's default and its maximum (v1 cpu.shares, v2 cpu.weight). */
export const WEIGHT = {
  1: { default: 1024, max: 262_144 },
  2: { default: 100, max: 10_000 },
} as const;

/**
 * Where the cpu (and cpuset) controllers live. v1 mounts one hierarchy per controller
 * (here /sys/fs/cgroup/cpu and /sys/fs/cgroup/cpuset), v2 one tree for all of them.
 */
export interface CgroupLayout {
  readonly version: 1 | 2;
  readonly cpuRoot: string;
  readonly cpusetRoot: string | null;
}

export class CgroupError extends Error {
  override readonly name = 'CgroupError';
}

/** Detects v1 or v2 and the directories of the cpu and cpuset controllers. */
export async function detectCgroups(): Promise<CgroupLayout> {
  const { type } = await statfs(CGROUP_ROOT);
  if (type === CGROUP2_SUPER_MAGIC) {
    const controllers = (await readFile(join(CGROUP_ROOT, 'cgroup.controllers'), 'utf8')).split(
      /\s+/,
    );
    if (!controllers.includes('cpu')) {
      throw new CgroupError(`cgroup v2 at ${CGROUP_ROOT} does not offer the cpu controller`);
    }
    return {
      version: 2,
      cpuRoot: CGROUP_ROOT,
      cpusetRoot: controllers.includes('cpuset') ? CGROUP_ROOT : null,
    };
  }
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' '));
  const v1Root = (controller: string) =>
    mounts.find(
      ([, , type, options]) => type === 'cgroup' && options?.split(',').includes(controller),
    )?.[1] ?? null;
  const cpuRoot = v1Root('cpu');
  if (!cpuRoot) throw new CgroupError('no cgroup v1 hierarchy with the cpu controller is mounted');
  return { version: 1, cpuRoot, cpusetRoot: v1Root('cpuset') };
}

/**
 * One lab cgroup, named like the node's namespace. On v1 it is a directory in the cpu
 * hierarchy (and one in the cpuset hierarchy when pinned to CPUs); on v2 one directory.
 */
export class CpuCgroup {
  private constructor(
    readonly layout: CgroupLayout,
    /** Every directory that makes up this cgroup; the cpu one comes first. */
    readonly paths: readonly string[],
  ) {}

  /**
   * Creates the cgroup; `cpus` (a cpuset list like "1" or "0-1") also confines it to those
   * CPUs. `onPath` is told each directory before it is made, for the run record.
   */
  static async create(
    layout: CgroupLayout,
    name: string,
    options: { cpus?: string; onPath?: (path: string) => void } = {},
  ): Promise<CpuCgroup> {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      throw new CgroupError(`cgroup name "${name}" must be letters, digits, '.', '_' or '-'`);
    }
    const cpuPath = join(layout.cpuRoot, name);
    const paths = [cpuPath];
    if (options.cpus !== undefined) {
      if (!layout.cpusetRoot) throw new CgroupError('cpus: the cpuset controller is not available');
      if (layout.version === 1) paths.push(join(layout.cpusetRoot, name));
    }
    if (layout.version === 2) await enableControllers(layout, options.cpus !== undefined);
    for (const path of paths) {
      options.onPath?.(path);
      await mkdir(path);
    }
    const cgroup = new CpuCgroup(layout, paths);
    if (options.cpus !== undefined) await cgroup.confineTo(options.cpus);
    return cgroup;
  }

  /** Writing a pid to each of these moves that process; its later children stay inside. */
  get procsFiles(): string[] {
    return this.paths.map((path) => join(path, 'cgroup.procs'));
  }

  /**
   * Limits the whole group to `share` of one CPU per `periodUs` (CFS bandwidth control), or
   * lifts the limit with null. When the group has used its share it sleeps until the next
   * period, whatever inside wants to run.
   *
   * While limited, the group also gets the highest weight, so it uses its share at the start
   * of every period whatever else the CPU runs, and then sleeps for the rest of it. At the
   * default weight it competed with every other group and session on its CPU: beside 8 busy
   * sessions it took most of the period to use its share, its stalls shrank to what its
   * socket's unsent bytes cover, and it sent at 0.64-0.75 of its idle rate instead of about
   * 0.38 (a clean-clone test failed so at 0.84). The quota still bounds what it takes.
   */
  async limitCpu(share: number | null, periodUs = DEFAULT_PERIOD_US): Promise<void> {
    if (share !== null && !(share > 0 && share <= 64)) {
      throw new CgroupError(`cpu share must be above 0 and at most 64 CPUs (got ${share})`);
    }
    if (!Number.isInteger(periodUs) || periodUs < 1000 || periodUs > 1_000_000) {
      throw new CgroupError(`cpu period must be 1000 to 1000000 µs (got ${periodUs})`);
    }
    const quota = share === null ? null : Math.max(1000, Math.round(share * periodUs));
    const cpuPath = this.paths[0];
    const weight = WEIGHT[this.layout.version];
    if (this.layout.version === 2) {
      await writeFile(join(cpuPath, 'cpu.max'), `${quota ?? 'max'} ${periodUs}`);
      await writeFile(
        join(cpuPath, 'cpu.weight'),
        String(quota === null ? weight.default : weight.max),
      );
      return;
    }
    // Unlimited first: no moment then pairs the old quota with the new period.
    await writeFile(join(cpuPath, 'cpu.cfs_quota_us'), '-1');
    await writeFile(join(cpuPath, 'cpu.cfs_period_us'), String(periodUs));
    if (quota !== null) await writeFile(join(cpuPath, 'cpu.cfs_quota_us'), String(quota));
    await writeFile(
      join(cpuPath, 'cpu.shares'),
      String(quota === null ? weight.default : weight.max),
    );
  }

  /** The group's CPU weight (v1 cpu.shares, v2 cpu.weight), as the kernel reports it. */
  async weight(): Promise<number> {
    const file = this.layout.version === 2 ? 'cpu.weight' : 'cpu.shares';
    return Number((await readFile(join(this.paths[0], file), 'utf8')).trim());
  }

  /**
   * How many CFS periods the group has been throttled in so far (`nr_throttled` of its
   * cpu.stat, the same file in v1 and v2): it grows once the group uses up its quota.
   */
  async throttledPeriods(): Promise<number> {
    const stat = await readFile(join(this.paths[0], 'cpu.stat'), 'utf8');
    const match = /^nr_throttled (\d+)$/m.exec(stat);
    if (!match) throw new CgroupError(`${this.paths[0]}/cpu.stat has no nr_throttled`);
    return Number(match[1]);
  }

  /** Moves a running process (not its existing children) into the group. */
  async adopt(pid: number): Promise<void> {
    for (const file of this.procsFiles) await writeFile(file, String(pid));
  }

  /** Kills whatever is still inside and removes the directories; see removeCgroupDir. */
  async destroy(): Promise<string[]> {
    const problems: string[] = [];
    for (const path of [...this.paths].reverse()) {
      const problem = await removeCgroupDir(path);
      if (problem) problems.push(problem);
    }
    return problems;
  }

  private async confineTo(cpus: string): Promise<void> {
    const path = this.layout.version === 1 ? this.paths[1] : this.paths[0];
    if (this.layout.version === 1) {
      // A v1 cpuset starts with no memory nodes and refuses tasks until it has some.
      const mems = await readFile(join(this.layout.cpusetRoot as string, 'cpuset.mems'), 'utf8');
      await writeFile(join(path, 'cpuset.mems'), mems.trim());
    }
    await writeFile(join(path, 'cpuset.cpus'), cpus);
  }
}

/**
 * Kills every process in the cgroup (SIGKILL: this is teardown), waits up to two seconds
 * for it to empty, then removes the directory. Returns a problem to log, or null; a
 * directory that is already gone is no problem.
 */
export async function removeCgroupDir(path: string): Promise<string | null> {
  const deadline = Date.now() + 2000;
  try {
    for (;;) {
      const pids = await cgroupPids(path);
      if (pids.length === 0) break;
      if (Date.now() > deadline) return `cgroup ${path} still holds pids ${pids.join(', ')}`;
      for (const pid of pids) killQuietly(pid);
      await sleep(50);
    }
    await rmdir(path);
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `removing cgroup ${path}: ${(error as Error).message}`;
  }
}

/** Directories named like lab namespaces (`mm<runId>-...`) in the cpu and cpuset trees. */
export async function listLabCgroupDirs(layout: CgroupLayout, pattern: RegExp): Promise<string[]> {
  const roots = [...new Set([layout.cpuRoot, layout.cpusetRoot].filter((root) => root !== null))];
  const found: string[] = [];
  for (const root of roots) {
    const entries = await readdir(root, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isDirectory() && pattern.test(entry.name)) found.push(join(root, entry.name));
    }
  }
  return found;
}

async function cgroupPids(path: string): Promise<number[]> {
  const text = await readFile(join(path, 'cgroup.procs'), 'utf8');
  return text.split('\n').filter(Boolean).map(Number);
}

/**
 * v2 only hands a controller to a child when the parent lists it in subtree_control. The
 * root cgroup may always do so; a non-root parent with processes of its own may not (the
 * "no internal processes" rule), which is reported rather than worked around.
 */
async function enableControllers(layout: CgroupLayout, cpuset: boolean): Promise<void> {
  const wanted = cpuset ? ['cpu', 'cpuset'] : ['cpu'];
  const file = join(layout.cpuRoot, 'cgroup.subtree_control');
  const enabled = (await readFile(file, 'utf8')).split(/\s+/);
  const missing = wanted.filter((controller) => !enabled.includes(controller));
  if (missing.length === 0) return;
  try {
    await writeFile(file, missing.map((controller) => `+${controller}`).join(' '));
  } catch (error) {
    throw new CgroupError(
      `cannot enable ${missing.join(', ')} in ${file} (${(error as Error).message}); run the lab in a cgroup whose controllers can be delegated`,
      { cause: error },
    );
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** True when `path` exists; for tests and callers that check before they create. */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

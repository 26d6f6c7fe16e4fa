import type { CgroupFigures } from '@meshmon/contracts';
import { parseProcStat, USER_HZ } from './proc-stat.js';

/**
 * A cgroup's own accounting of the processes in it, as the orchestrator limits them (the
 * samples' contract). Cumulative counters (CPU, throttling) only make sense as differences.
 */
export type CgroupCounters = CgroupFigures;

/** Reads a file's text, or null when it does not exist or cannot be read. */
export type TextFile = (path: string) => string | null;

/** v1 reports "no limit" as a huge page-rounded number (9223372036854771712 on 4 KiB pages). */
const V1_NO_LIMIT = 2 ** 60;
/** cpuacct.stat counts in USER_HZ, as /proc/<pid>/stat does. */
const NS_PER_USER_HZ = 1e9 / USER_HZ;

/**
 * Where this process's cgroup is, from `/proc/self/cgroup`: on cgroup v2 the single
 * `0::<path>` line; on v1 (or a hybrid host, whose unified tree holds no controllers) the
 * path of each controller. In a container with its own cgroup namespace the paths are `/`.
 */
export function cgroupPaths(procSelfCgroup: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of procSelfCgroup.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    for (const controller of match[1] === '' ? [''] : match[1].split(',')) {
      paths.set(controller, match[2]);
    }
  }
  return paths;
}

/**
 * The counters of this process's cgroup, from the files under `root` (/sys/fs/cgroup):
 * cgroup v2 when `cgroup.controllers` is at the root, else v1. Null where a file is
 * missing (a controller not mounted); null overall when neither tree is readable.
 */
export function readCgroupCounters(
  read: TextFile,
  procSelfCgroup: string,
  root = '/sys/fs/cgroup',
  selfPid: number = process.pid,
): CgroupCounters | null {
  const paths = cgroupPaths(procSelfCgroup);
  if (read(`${root}/cgroup.controllers`) !== null)
    return readV2(read, `${root}${tail(paths.get(''))}`, root, selfPid);
  if (!paths.has('cpuacct') && !paths.has('memory')) return null;
  return readV1(read, root, paths, selfPid);
}

/** How far up and how many group members are looked at: a busy host's root group is large. */
const MAX_TREE_DEPTH = 64;
const MAX_MEMBERS_CHECKED = 64;

/** The parent of a process, from its `/proc/<pid>/stat`. */
const parentOf = (read: TextFile, pid: number): number | null =>
  parseProcStat(read(`/proc/${pid}/stat`))?.ppid ?? null;

/** `pid`, then its parent, and so on up to init (bounded). */
function ancestry(read: TextFile, pid: number): number[] {
  const chain = [pid];
  for (let depth = 0; depth < MAX_TREE_DEPTH; depth += 1) {
    const parent = parentOf(read, chain[chain.length - 1]);
    if (parent === null || parent === 0 || chain.includes(parent)) break;
    chain.push(parent);
  }
  return chain;
}

/**
 * Whether every process in the group is this process, one of its descendants (iperf3) or
 * one of its ancestors (a wrapper): the group is then the service's own. A foreign member
 * (any other process of a plain host) settles it at once; null when the list is unreadable.
 */
export function ownsCgroup(read: TextFile, procs: string | null, selfPid: number): boolean | null {
  if (procs === null) return null;
  const members = procs
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
  if (members.length === 0 || members.length > MAX_MEMBERS_CHECKED)
    return members.length === 0 ? null : false;
  const ancestors = new Set(ancestry(read, selfPid));
  return members.every((pid) => ancestors.has(pid) || ancestry(read, pid).includes(selfPid));
}

function readV2(read: TextFile, dir: string, root: string, selfPid: number): CgroupCounters {
  // The process may see its cgroup's path but not the directory (no cgroup namespace and a
  // container's own mount): its files are then the mount's root.
  const at = read(`${dir}/cpu.stat`) !== null ? dir : root;
  const cpu = keyValues(read(`${at}/cpu.stat`));
  const usec = (key: string) => (cpu.has(key) ? cpu.get(key)! * 1000 : null);
  const limit = read(`${at}/memory.max`)?.trim();
  const memory = keyValues(read(`${at}/memory.stat`));
  const procs = read(`${at}/cgroup.procs`);
  return {
    version: 2,
    processes: countLines(procs),
    exclusive: ownsCgroup(read, procs, selfPid),
    cpuUsageNs: usec('usage_usec'),
    cpuUserNs: usec('user_usec'),
    cpuSystemNs: usec('system_usec'),
    throttledPeriods: cpu.get('nr_throttled') ?? null,
    throttledNs: usec('throttled_usec'),
    memoryBytes: number(read(`${at}/memory.current`)),
    memoryAnonBytes: memory.get('anon') ?? null,
    memoryLimitBytes: limit === undefined || limit === 'max' ? null : number(limit),
  };
}

function readV1(
  read: TextFile,
  root: string,
  paths: Map<string, string>,
  selfPid: number,
): CgroupCounters {
  const file = (controller: string, name: string) => {
    const own = read(`${root}/${controller}${tail(paths.get(controller))}/${name}`);
    return own ?? read(`${root}/${controller}/${name}`);
  };
  const stat = keyValues(file('cpuacct', 'cpuacct.stat'));
  const ticks = (key: string) => (stat.has(key) ? stat.get(key)! * NS_PER_USER_HZ : null);
  const cpu = keyValues(file('cpu', 'cpu.stat'));
  const limit = number(file('memory', 'memory.limit_in_bytes'));
  const memory = keyValues(file('memory', 'memory.stat'));
  const procs = file('cpuacct', 'cgroup.procs') ?? file('memory', 'cgroup.procs');
  return {
    version: 1,
    processes: countLines(procs),
    exclusive: ownsCgroup(read, procs, selfPid),
    cpuUsageNs: number(file('cpuacct', 'cpuacct.usage')),
    cpuUserNs: ticks('user'),
    cpuSystemNs: ticks('system'),
    throttledPeriods: cpu.get('nr_throttled') ?? null,
    throttledNs: cpu.get('throttled_time') ?? null,
    memoryBytes: number(file('memory', 'memory.usage_in_bytes')),
    // total_ counts the group's children too (a container's are its own); rss alone does not.
    memoryAnonBytes: memory.get('total_rss') ?? memory.get('rss') ?? null,
    memoryLimitBytes: limit === null || limit >= V1_NO_LIMIT ? null : limit,
  };
}

/** `/` adds nothing to the root; any other path is appended as is. */
const tail = (path: string | undefined) => (path === undefined || path === '/' ? '' : path);

function number(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) ? value : null;
}

/** The processes listed in a `cgroup.procs` (one id per line); null when unreadable. */
function countLines(text: string | null): number | null {
  if (text === null) return null;
  const count = text.split('\n').filter((line) => line.trim() !== '').length;
  return count > 0 ? count : null;
}

/** `key value` lines (cpu.stat, cpuacct.stat); lines that are not are left out. */
function keyValues(text: string | null): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text?.split('\n') ?? []) {
    const [key, value] = line.trim().split(/\s+/);
    const parsed = number(value);
    if (key && parsed !== null) values.set(key, parsed);
  }
  return values;
}

/**
 * The orchestrator's own daemons, sampled from outside (they cannot sample themselves):
 * dockerd, containerd and the container shims for the container and Swarm cases, kubelet
 * and the container runtime on a Kubernetes node. Their CPU time and memory are summed
 * and published like a service's sample, as service `orchestrator`, through the same
 * stream into the same measurement.
 */
import { readdirSync } from 'node:fs';
import type { ResourceSample } from '@meshmon/contracts';
import {
  SampleBuilder,
  readTextOrNull,
  rssAnonBytes,
  type SampledIdentity,
  type TextFile,
} from '@meshmon/service-runtime';

/** Process names (`/proc/<pid>/comm`, at most 15 characters) of orchestrator daemons. */
export const DAEMON_NAMES: readonly RegExp[] = [
  /^dockerd$/,
  /^containerd$/,
  /^containerd-shim/,
  /^docker-proxy$/,
  /^kubelet$/,
  /^crio$/,
  /^conmon$/,
  /^k3s/,
];

/** USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on every Linux in use. */
const US_PER_TICK = 10_000;

export interface DaemonReading {
  readonly pid: number;
  /** Start time in ticks since boot: a reused pid is another process. */
  readonly startTicks: number;
  readonly userTicks: number;
  readonly systemTicks: number;
  readonly rssBytes: number;
  readonly rssAnonBytes: number | null;
}

/** utime, stime and starttime from `/proc/<pid>/stat` (after the `(comm)`, which may hold spaces). */
export function parseProcStat(
  text: string,
): { user: number; system: number; start: number } | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // Fields after comm start at field 3 (state); utime is field 14, stime 15, starttime 22.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const [user, system, start] = [fields[11], fields[12], fields[19]].map(Number);
  return [user, system, start].every(Number.isFinite) ? { user, system, start } : null;
}

function vmRssBytes(status: string | null): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status ?? '');
  return match ? Number(match[1]) * 1024 : null;
}

/** The daemons running now, read from /proc. */
export function readDaemons(
  read: TextFile = readTextOrNull,
  pids: () => number[] = listPids,
  names: readonly RegExp[] = DAEMON_NAMES,
): DaemonReading[] {
  const found: DaemonReading[] = [];
  for (const pid of pids()) {
    const comm = read(`/proc/${pid}/comm`)?.trim();
    if (!comm || !names.some((name) => name.test(comm))) continue;
    const stat = parseProcStat(read(`/proc/${pid}/stat`) ?? '');
    const status = read(`/proc/${pid}/status`);
    const rss = vmRssBytes(status);
    if (!stat || rss === null) continue;
    found.push({
      pid,
      startTicks: stat.start,
      userTicks: stat.user,
      systemTicks: stat.system,
      rssBytes: rss,
      rssAnonBytes: rssAnonBytes(status),
    });
  }
  return found;
}

function listPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/**
 * CPU time the daemons spent since sampling began, as one cumulative counter: each
 * process's time since it was first seen, and the whole time of one that started since
 * (a shim per new container is the orchestrator's work too). Processes that exit keep
 * what they added, so the counter never goes back.
 */
export class DaemonAccount {
  private readonly last = new Map<string, { user: number; system: number }>();
  private userTicks = 0;
  private systemTicks = 0;
  private first = true;

  add(readings: readonly DaemonReading[]): { userUs: number; systemUs: number } {
    const seen = new Map<string, { user: number; system: number }>();
    for (const reading of readings) {
      const key = `${reading.pid}@${reading.startTicks}`;
      const before = this.last.get(key) ?? (this.first ? null : { user: 0, system: 0 });
      if (before) {
        this.userTicks += Math.max(0, reading.userTicks - before.user);
        this.systemTicks += Math.max(0, reading.systemTicks - before.system);
      }
      seen.set(key, { user: reading.userTicks, system: reading.systemTicks });
    }
    this.first = false;
    this.last.clear();
    for (const [key, value] of seen) this.last.set(key, value);
    return { userUs: this.userTicks * US_PER_TICK, systemUs: this.systemTicks * US_PER_TICK };
  }
}

/**
 * Samples the daemons every interval and hands each sample on (to a JetStream outbox).
 * Nothing is sent while no daemon runs (the plain-process case has none).
 */
export class HostSampler {
  private readonly builder: SampleBuilder;
  private readonly account = new DaemonAccount();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    identity: SampledIdentity,
    private readonly intervalMs: number,
    private readonly publish: (sample: ResourceSample) => void,
    private readonly read: () => DaemonReading[] = () => readDaemons(),
  ) {
    this.builder = new SampleBuilder(identity, `host${Date.now().toString(36)}`);
  }

  start(): void {
    if (this.timer) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sample(): ResourceSample | null {
    const readings = this.read();
    const cpu = this.account.add(readings);
    if (readings.length === 0) return null;
    const anon = readings.map((reading) => reading.rssAnonBytes);
    const sample = this.builder.next({
      atMs: Date.now(),
      processes: readings.length,
      cpuUserUs: cpu.userUs,
      cpuSystemUs: cpu.systemUs,
      rssBytes: readings.reduce((sum, reading) => sum + reading.rssBytes, 0),
      rssAnonBytes: anon.every((value) => value !== null)
        ? anon.reduce((sum: number, value) => sum + value!, 0)
        : null,
      heap: null,
      eventLoop: null,
      net: null,
      cgroup: null,
    });
    this.publish(sample);
    return sample;
  }
}

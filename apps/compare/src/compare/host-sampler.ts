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
  parseProcStat,
  readTextOrNull,
  rssAnonBytes,
  SampleBuilder,
  USER_HZ,
  vmRssBytes,
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

const US_PER_TICK = 1e6 / USER_HZ;

export interface DaemonReading {
  readonly pid: number;
  /** Start time in ticks since boot: a reused pid is another process. */
  readonly startTicks: number;
  readonly userTicks: number;
  readonly systemTicks: number;
  readonly rssBytes: number;
  readonly rssAnonBytes: number | null;
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
    const stat = parseProcStat(read(`/proc/${pid}/stat`));
    const status = read(`/proc/${pid}/status`);
    const rss = vmRssBytes(status);
    if (!stat || rss === null) continue;
    found.push({
      pid,
      startTicks: stat.startTicks,
      userTicks: stat.userTicks,
      systemTicks: stat.systemTicks,
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

/** Readings a daemon may miss (an unreadable /proc file) before it counts as gone. */
const MISSED_READINGS_BEFORE_GONE = 10;

/**
 * CPU time the daemons spent since sampling began, as one cumulative counter: each
 * process's time since it was first seen, and the whole time of one that started since
 * (a shim per new container is the orchestrator's work too). A process missing from a
 * reading or two keeps its place (it is not counted whole again when it is read again);
 * processes that exit keep what they added, so the counter never goes back. Children the
 * daemons reaped (runc for each container start and health check) are not counted: their
 * time shows in no /proc entry that stays, so this is a lower bound.
 */
export class DaemonAccount {
  private readonly known = new Map<string, { user: number; system: number; missed: number }>();
  private userTicks = 0;
  private systemTicks = 0;
  private first = true;

  add(readings: readonly DaemonReading[]): { userUs: number; systemUs: number } {
    const seen = new Set<string>();
    for (const reading of readings) {
      const key = `${reading.pid}@${reading.startTicks}`;
      seen.add(key);
      const before = this.known.get(key) ?? (this.first ? null : { user: 0, system: 0 });
      if (before) {
        this.userTicks += Math.max(0, reading.userTicks - before.user);
        this.systemTicks += Math.max(0, reading.systemTicks - before.system);
      }
      this.known.set(key, { user: reading.userTicks, system: reading.systemTicks, missed: 0 });
    }
    for (const [key, entry] of this.known) {
      if (seen.has(key)) continue;
      entry.missed += 1;
      if (entry.missed >= MISSED_READINGS_BEFORE_GONE) this.known.delete(key);
    }
    this.first = false;
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

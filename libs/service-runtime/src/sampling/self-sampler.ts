import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { readCgroupCounters, type TextFile } from './cgroup-counters.js';
import { netNamespaceId, parseNetDev } from './net-dev.js';
import { rssAnonBytes } from './proc-status.js';
import { SampleBuilder, type Readings, type SampledIdentity } from './sample-builder.js';
import type { ResourceSample } from '@meshmon/contracts';

/** Reads a file, or null when it does not exist (no cgroup, not Linux) or cannot be read. */
export const readTextOrNull: TextFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

const NS_PER_MS = 1e6;
/**
 * The event-loop histogram's timer period. Node records the time between two turns of
 * that timer, so an idle loop reads about 10 ms: the period is taken off to leave the delay.
 */
export const EVENT_LOOP_RESOLUTION_MS = 10;
const delayMs = (ns: number) => Math.max(0, ns / NS_PER_MS - EVENT_LOOP_RESOLUTION_MS);

function readLinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/**
 * This process's counters now: CPU time and memory from Node.js, the anonymous RSS from
 * /proc, the network namespace's traffic and the cgroup's own counters where readable.
 */
export function readOwnCounters(
  eventLoop: IntervalHistogram | null,
  read: TextFile = readTextOrNull,
  now: () => number = Date.now,
): Readings {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const netDev = read('/proc/self/net/dev');
  const selfCgroup = read('/proc/self/cgroup');
  // An interval with no loop turn recorded has no delay to report (mean is NaN then).
  const loop =
    eventLoop && eventLoop.count > 0
      ? {
          meanMs: delayMs(eventLoop.mean),
          p99Ms: delayMs(eventLoop.percentile(99)),
          maxMs: delayMs(eventLoop.max),
        }
      : null;
  eventLoop?.reset();
  return {
    atMs: now(),
    processes: 1,
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    rssBytes: memory.rss,
    rssAnonBytes: rssAnonBytes(read('/proc/self/status')),
    heap: { usedBytes: memory.heapUsed, totalBytes: memory.heapTotal },
    eventLoop: loop,
    net:
      netDev === null
        ? null
        : {
            namespace: netNamespaceId(readLinkOrNull('/proc/self/ns/net')),
            ...parseNetDev(netDev).counters,
          },
    cgroup: selfCgroup === null ? null : readCgroupCounters(read, selfCgroup),
  };
}

export interface SelfSamplerOptions {
  readonly identity: SampledIdentity;
  readonly intervalMs: number;
  readonly publish: (sample: ResourceSample) => void;
  /** A failure to read (a bug: reading never throws for a missing file). */
  readonly onError: (error: unknown) => void;
}

/**
 * The instrument every service carries: a sample of its own cost every interval (and one
 * at once), the same way wherever it runs (plain process, container, Swarm, Kubernetes).
 * The timer does not keep the process alive.
 */
export class SelfSampler {
  private readonly builder: SampleBuilder;
  private readonly eventLoop: IntervalHistogram;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SelfSamplerOptions) {
    this.builder = new SampleBuilder(options.identity, randomUUID().slice(0, 13));
    // 10 ms resolution: the delay that matters to a service is in milliseconds.
    this.eventLoop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  }

  start(): void {
    if (this.timer) return;
    this.eventLoop.enable();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.eventLoop.disable();
  }

  private sample(): void {
    try {
      this.options.publish(this.builder.next(readOwnCounters(this.eventLoop)));
    } catch (error) {
      this.options.onError(error);
    }
  }
}

import type {
  CgroupFigures,
  NetFigures,
  Orchestrator,
  ResourceSample,
  SampledService,
} from '@meshmon/contracts';

/** Who is sampled: the tags every sample carries. */
export interface SampledIdentity {
  readonly cluster: string;
  readonly run: string;
  readonly orchestrator: Orchestrator;
  readonly service: SampledService;
  readonly node: string;
}

/** One reading of the counters, as the sampler took it. */
export interface Readings {
  readonly atMs: number;
  readonly processes: number;
  /** Cumulative CPU time, microseconds. */
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly rssBytes: number;
  readonly rssAnonBytes: number | null;
  readonly heap: { readonly usedBytes: number; readonly totalBytes: number } | null;
  readonly eventLoop: {
    readonly meanMs: number;
    readonly p99Ms: number;
    readonly maxMs: number;
  } | null;
  readonly net: NetFigures | null;
  readonly cgroup: CgroupFigures | null;
}

/**
 * Turns consecutive readings into samples: numbers them (`<boot>.<n>`, so a restarted
 * process never repeats an id) and works out the CPU share over the interval. Pure, so the
 * arithmetic is tested without a clock.
 */
export class SampleBuilder {
  private sequence = 0;
  private previous: { atMs: number; cpuUs: number } | null = null;

  constructor(
    private readonly identity: SampledIdentity,
    private readonly bootId: string,
  ) {}

  next(readings: Readings): ResourceSample {
    this.sequence += 1;
    const cpuUs = readings.cpuUserUs + readings.cpuSystemUs;
    const intervalMs = this.previous
      ? Math.max(0, Math.round(readings.atMs - this.previous.atMs))
      : 0;
    // A counter that went backwards (another process set after a restart) has no share.
    const spentUs = this.previous ? cpuUs - this.previous.cpuUs : -1;
    const cpuPercent =
      intervalMs > 0 && spentUs >= 0 ? round((spentUs / (intervalMs * 1000)) * 100, 3) : null;
    this.previous = { atMs: readings.atMs, cpuUs };
    return {
      v: 1,
      sampleId: `${this.bootId}.${this.sequence}`,
      ...this.identity,
      atMs: readings.atMs,
      intervalMs,
      cpuPercent,
      process: {
        processes: readings.processes,
        cpuUserUs: Math.round(readings.cpuUserUs),
        cpuSystemUs: Math.round(readings.cpuSystemUs),
        rssBytes: readings.rssBytes,
        rssAnonBytes: readings.rssAnonBytes,
        heapUsedBytes: readings.heap?.usedBytes ?? null,
        heapTotalBytes: readings.heap?.totalBytes ?? null,
        eventLoopMeanMs: readings.eventLoop ? round(readings.eventLoop.meanMs, 3) : null,
        eventLoopP99Ms: readings.eventLoop ? round(readings.eventLoop.p99Ms, 3) : null,
        eventLoopMaxMs: readings.eventLoop ? round(readings.eventLoop.maxMs, 3) : null,
      },
      net: readings.net,
      cgroup: readings.cgroup,
    };
  }
}

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { numberHash } from '@meshmon/contracts';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { LiveView } from '../view/live-view.js';

/** How often the monitors' pins and last-measured times are read again from Redis. */
export const MONITOR_STATE_REFRESH_MS = 2000;

const key = (monitor: string, sensor: string): string => `${monitor}\u0000${sensor}`;

/**
 * What each monitor keeps in Redis (apps/monitor MonitorHistory): the priorities an
 * operator pinned and when it last measured each sensor. Read for every known node in
 * one pipeline every two seconds; a pin set through the gateway shows at once.
 */
@Injectable()
export class MonitorStateStore implements OnApplicationShutdown {
  private readonly logger = new Logger(MonitorStateStore.name);
  private pins = new Map<string, number>();
  private measured = new Map<string, number>();
  private changes = 0;
  private failing = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    @Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime,
    @Inject(LiveView) private readonly view: LiveView,
  ) {
    this.timer = setInterval(() => void this.refresh(), MONITOR_STATE_REFRESH_MS);
    this.timer.unref();
    void this.refresh();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  get version(): number {
    return this.changes;
  }

  pinned(monitor: string, sensor: string): number | undefined {
    return this.pins.get(key(monitor, sensor));
  }

  lastMeasured(monitor: string, sensor: string): number | undefined {
    return this.measured.get(key(monitor, sensor));
  }

  /** What the gateway just asked the monitor to do; the next refresh confirms it. */
  pinLocally(monitor: string, sensor: string, priorityMs: number | null): void {
    if (priorityMs === null) this.pins.delete(key(monitor, sensor));
    else this.pins.set(key(monitor, sensor), priorityMs);
    this.changes += 1;
  }

  private async refresh(): Promise<void> {
    const { redis, subjects } = this.runtime;
    const monitors = this.view.nodes().map((node) => node.node);
    // While Redis is down the runtime has said so once; readiness reports it.
    if (monitors.length === 0 || redis.status !== 'ready') return;
    try {
      const pipeline = redis.pipeline();
      for (const monitor of monitors) {
        pipeline.hgetall(subjects.redis.monitorPinnedPriority(monitor));
        pipeline.hgetall(subjects.redis.monitorLastMeasured(monitor));
      }
      const replies = (await pipeline.exec()) ?? [];
      const pins = new Map<string, number>();
      const measured = new Map<string, number>();
      monitors.forEach((monitor, index) => {
        readInto(pins, monitor, replies[2 * index]);
        readInto(measured, monitor, replies[2 * index + 1]);
      });
      if (!sameEntries(pins, this.pins) || !sameEntries(measured, this.measured)) {
        this.pins = pins;
        this.measured = measured;
        this.changes += 1;
      }
      if (this.failing) this.logger.log('monitor state readable again');
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.logger.warn(`monitor state not refreshed: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}

/** One monitor's hash of numbers into `out`; a failed or odd reply adds nothing. */
function readInto(
  out: Map<string, number>,
  monitor: string,
  reply: [Error | null, unknown] | undefined,
): void {
  if (!reply || reply[0] !== null || typeof reply[1] !== 'object' || reply[1] === null) return;
  for (const [sensor, value] of numberHash(reply[1] as Record<string, string>)) {
    out.set(key(monitor, sensor), value);
  }
}

function sameEntries(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

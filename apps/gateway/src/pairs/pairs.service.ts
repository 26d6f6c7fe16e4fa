import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeSchedulerControl, encodeSchedulerEnvelope } from '@meshmon/contracts';
import { IntentsStore } from '../intents/intents.store.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { requireKnownPair } from '../view/known-pair.js';
import { LiveView } from '../view/live-view.js';
import type { PairDto, PriorityDto } from './pairs.dto.js';
import { MonitorStateStore } from './monitor-state.store.js';

/** The pairs JSON is rebuilt when the view, intents or pins change, and at most this stale. */
export const PAIRS_CACHE_MS = 1000;

@Injectable()
export class PairsService {
  private readonly logger = new Logger(PairsService.name);
  private cache: { key: string; builtAtMs: number; body: Buffer } | null = null;

  constructor(
    @Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime,
    @Inject(LiveView) private readonly view: LiveView,
    @Inject(IntentsStore) private readonly intents: IntentsStore,
    @Inject(MonitorStateStore) private readonly monitors: MonitorStateStore,
  ) {}

  /**
   * The pairs as UTF-8 JSON. Every ordered pair of known nodes is listed, which at 32
   * nodes is 992 entries: building that per request would dominate the gateway's CPU at
   * a few hundred requests a second, so the text is cached and rebuilt only when what it
   * depends on changed, or after a second (priorities grow with the clock).
   */
  pairsJson(nowMs = Date.now()): Buffer {
    const key = `${this.view.version}:${this.intents.version}:${this.monitors.version}`;
    if (this.cache && this.cache.key === key && nowMs - this.cache.builtAtMs < PAIRS_CACHE_MS) {
      return this.cache.body;
    }
    // Kept encoded: turning 180 KB of text into bytes per request was most of the garbage.
    const body = Buffer.from(JSON.stringify({ pairs: this.pairs(nowMs) }));
    this.cache = { key, builtAtMs: nowMs, body };
    return body;
  }

  pairs(nowMs: number): PairDto[] {
    const nodes = this.view.nodes();
    const scope = this.intents.scope;
    const out: PairDto[] = [];
    for (const monitor of nodes) {
      for (const sensor of nodes) {
        if (monitor === sensor) continue;
        const stats = this.view.pairStats(monitor.node, sensor.node);
        const stored = this.monitors.lastMeasured(monitor.node, sensor.node);
        const seen = stats?.lastMeasuredMs ?? undefined;
        const last =
          stored === undefined ? seen : seen === undefined ? stored : Math.max(stored, seen);
        const pin = this.monitors.pinned(monitor.node, sensor.node);
        const since = last ?? Math.max(monitor.firstSeenMs, sensor.firstSeenMs);
        out.push({
          monitor: monitor.node,
          sensor: sensor.node,
          inScope: scope === null || scope.pairs.has(`${monitor.node}\u0000${sensor.node}`),
          lastMeasuredMs: last ?? null,
          priorityMs: pin ?? Math.max(0, nowMs - since),
          pinned: pin !== undefined,
          count: stats?.count ?? 0,
          lastBitsPerSecond: stats?.lastBitsPerSecond ?? null,
          lastRttMs: stats?.lastRttMs ?? null,
        });
      }
    }
    return out;
  }

  /**
   * Pins (or unpins) a priority on the monitor. It goes as a scheduler message from the
   * monitor's own controller, the only sender the monitor's core accepts operator
   * messages from; the monitor stores the pin in Redis, which the next refresh reads.
   * The envelope names the run in force, since a monitor drops messages of other runs.
   */
  async setPriority(
    monitor: string,
    sensor: string,
    priorityMs: number | null,
  ): Promise<PriorityDto> {
    requireKnownPair(this.view, monitor, sensor);
    const { nats, subjects } = this.runtime;
    const run = await this.currentRun();
    nats.publish(
      subjects.schedulerMessage(monitor, 'monitor', 'priority-override'),
      encodeSchedulerEnvelope(
        { node: monitor, module: 'controller' },
        { type: 'priority-override', sensor, priorityMs },
        Date.now(),
        run,
      ),
    );
    this.monitors.pinLocally(monitor, sensor, priorityMs);
    return { monitor, sensor, priorityMs, pinned: priorityMs !== null };
  }

  /** The run in force: Redis's scheduler order, else the last run the events named. */
  private async currentRun(): Promise<string | null> {
    try {
      const raw = await this.runtime.redis.get(this.runtime.subjects.redis.schedulerState);
      const order = raw === null ? null : decodeSchedulerControl(raw);
      if (order?.ok) return order.value.action === 'start' ? order.value.runId : null;
    } catch (error) {
      this.logger.warn(`scheduler state unreadable, using the last run seen: ${String(error)}`);
    }
    return this.view.coverage.runId;
  }
}

import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { encodeManualIntents, isNodeName, MAX_SCOPE_PAIRS } from '@meshmon/contracts';
import { ApiError } from '../http/api-error.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import type { CoverageScope } from '../view/coverage-tracker.js';
import { LiveView } from '../view/live-view.js';

export type IntentSource = 'manual' | 'discovered';

export interface Intent {
  readonly monitor: string;
  readonly sensor: string;
  readonly source: IntentSource;
  readonly sinceMs: number;
}

export interface IntentsSnapshot {
  readonly mode: 'all' | 'intents';
  readonly intents: readonly Intent[];
}

/** How often the cached intents (for pairs and coverage) are read again from Redis. */
export const INTENTS_REFRESH_MS = 2000;

const field = (monitor: string, sensor: string): string => `${monitor}:${sensor}`;

/**
 * The intents in Redis: hand-made ones (`manualIntentsKey`, written only here) and those
 * each node's controller discovered (`discoveredIntentsKey(node)`). A cached copy, read
 * again every two seconds and after every change, gives pairs and coverage their scope
 * without a Redis round trip per request.
 */
@Injectable()
export class IntentsStore implements OnApplicationShutdown {
  private readonly logger = new Logger(IntentsStore.name);
  private cached: IntentsSnapshot = { mode: 'all', intents: [] };
  private cachedScope: CoverageScope | null = null;
  private changes = 0;
  private readonly timer: NodeJS.Timeout;
  /** Changes run one at a time, so each published list includes every earlier change. */
  private queue: Promise<unknown> = Promise.resolve();
  private failing = false;

  constructor(
    @Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime,
    @Inject(LiveView) private readonly view: LiveView,
  ) {
    this.timer = setInterval(() => void this.refreshQuietly(), INTENTS_REFRESH_MS);
    this.timer.unref();
    runtime.redis.on('ready', () => void this.refreshQuietly());
    void this.refreshQuietly();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  get version(): number {
    return this.changes;
  }

  /** The last snapshot read (may be up to INTENTS_REFRESH_MS old). */
  get snapshot(): IntentsSnapshot {
    return this.cached;
  }

  /** Pairs in scope for coverage: null when every pair is (mode "all"). */
  get scope(): CoverageScope | null {
    return this.cachedScope;
  }

  /** Reads Redis now; 503 when it cannot. */
  async read(): Promise<IntentsSnapshot> {
    const { redis, subjects } = this.runtime;
    const nodes = this.view.nodes();
    let replies: [Error | null, unknown][] | null;
    try {
      const pipeline = redis
        .pipeline()
        .hgetall(subjects.redis.manualIntents)
        .hlen(subjects.redis.discoveryMode);
      for (const node of nodes) pipeline.hgetall(subjects.redis.discoveredIntents(node.node));
      replies = await pipeline.exec();
    } catch (error) {
      throw ApiError.unavailable('Redis is unavailable: intents cannot be read', error);
    }
    const failed = replies?.find(([error]) => error !== null);
    if (!replies || failed)
      throw ApiError.unavailable('Redis is unavailable: intents cannot be read', failed?.[0]);
    const intents: Intent[] = [...parseHash(replies[0][1], 'manual')];
    for (let index = 2; index < replies.length; index += 1)
      intents.push(...parseHash(replies[index][1], 'discovered'));
    // Controllers in discovery mode say so in Redis: then only intents are measured.
    const discovering = Number(replies[1][1]) > 0;
    const snapshot: IntentsSnapshot = {
      mode: intents.length > 0 || discovering ? 'intents' : 'all',
      intents,
    };
    this.remember(snapshot);
    return snapshot;
  }

  /** Adds a hand-made intent (keeping its first `sinceMs` if it exists) and announces the list. */
  add(monitor: string, sensor: string, nowMs: number): Promise<Intent> {
    return this.serialised(async () => {
      const { redis, subjects } = this.runtime;
      const size = await this.redisCall(() => redis.hlen(subjects.redis.manualIntents));
      const created = await this.redisCall(() =>
        size >= MAX_SCOPE_PAIRS
          ? redis.hexists(subjects.redis.manualIntents, field(monitor, sensor))
          : redis.hsetnx(
              subjects.redis.manualIntents,
              field(monitor, sensor),
              JSON.stringify({ sinceMs: nowMs }),
            ),
      );
      if (size >= MAX_SCOPE_PAIRS && created === 0) {
        throw new ApiError(409, 'conflict', `at most ${MAX_SCOPE_PAIRS} hand-made intents`);
      }
      const stored = await this.redisCall(() =>
        redis.hget(subjects.redis.manualIntents, field(monitor, sensor)),
      );
      await this.announce();
      return { monitor, sensor, source: 'manual', sinceMs: sinceOf(stored) ?? nowMs };
    });
  }

  /** False when there was no such hand-made intent. */
  remove(monitor: string, sensor: string): Promise<boolean> {
    return this.serialised(async () => {
      const { redis, subjects } = this.runtime;
      const removed = await this.redisCall(() =>
        redis.hdel(subjects.redis.manualIntents, field(monitor, sensor)),
      );
      if (removed === 0) return false;
      await this.announce();
      return true;
    });
  }

  /** Publishes the whole hand-made list on `control.intents`, and refreshes the cache. */
  private async announce(): Promise<void> {
    const { redis, subjects, nats } = this.runtime;
    const hash = await this.redisCall(() => redis.hgetall(subjects.redis.manualIntents));
    const pairs = parseHash(hash, 'manual').map(
      (intent) => [intent.monitor, intent.sensor] as const,
    );
    nats.publish(
      subjects.intentsControl,
      encodeManualIntents({ v: 1, pairs, changedAtMs: Date.now() }),
    );
    await this.read();
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async redisCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw ApiError.unavailable('Redis is unavailable: intents cannot be changed', error);
    }
  }

  private remember(snapshot: IntentsSnapshot): void {
    const same = JSON.stringify(snapshot) === JSON.stringify(this.cached);
    this.cached = snapshot;
    if (same) return;
    this.changes += 1;
    this.cachedScope =
      snapshot.mode === 'all'
        ? null
        : {
            pairs: new Map(
              snapshot.intents.map((intent) => [
                `${intent.monitor}\u0000${intent.sensor}`,
                { monitor: intent.monitor, sensor: intent.sensor, sinceMs: intent.sinceMs },
              ]),
            ),
          };
  }

  private async refreshQuietly(): Promise<void> {
    // While Redis is down the runtime has said so once; readiness reports it.
    if (this.runtime.redis.status !== 'ready') return;
    try {
      await this.read();
      if (this.failing) this.logger.log('intents readable again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`intents not refreshed: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}

function sinceOf(raw: string | null | undefined): number | null {
  if (typeof raw !== 'string') return null;
  try {
    const value = JSON.parse(raw) as { sinceMs?: unknown };
    return typeof value?.sinceMs === 'number' && Number.isFinite(value.sinceMs)
      ? value.sinceMs
      : null;
  } catch (_notJson) {
    return null;
  }
}

/** Entries that are not `<monitor>:<sensor>` of node names with a numeric since are skipped. */
function parseHash(hash: unknown, source: IntentSource): Intent[] {
  if (typeof hash !== 'object' || hash === null) return [];
  const intents: Intent[] = [];
  for (const [key, raw] of Object.entries(hash as Record<string, string>)) {
    const [monitor, sensor, extra] = key.split(':');
    const sinceMs = sinceOf(raw);
    if (
      extra !== undefined ||
      !isNodeName(monitor) ||
      !isNodeName(sensor) ||
      monitor === sensor ||
      sinceMs === null
    )
      continue;
    intents.push({ monitor, sensor, source, sinceMs });
  }
  return intents.sort((a, b) =>
    field(a.monitor, a.sensor).localeCompare(field(b.monitor, b.sensor)),
  );
}

import type { Redis } from 'ioredis';

/**
 * What a monitor must not forget across a restart: when it last measured each sensor and
 * the priorities an operator pinned. Both live in Redis hashes keyed by the monitor.
 */
export class MonitorHistory {
  private readonly measuredKey: string;
  private readonly pinnedKey: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    monitor: string,
  ) {
    this.measuredKey = `${keyPrefix}:monitor:${monitor}:last-measured`;
    this.pinnedKey = `${keyPrefix}:monitor:${monitor}:pinned-priority`;
  }

  async recordMeasured(sensor: string, atMs: number): Promise<void> {
    await this.redis.hset(this.measuredKey, sensor, String(atMs));
  }

  async pin(sensor: string, priorityMs: number | null): Promise<void> {
    if (priorityMs === null) await this.redis.hdel(this.pinnedKey, sensor);
    else await this.redis.hset(this.pinnedKey, sensor, String(priorityMs));
  }

  /** Entries that do not parse as numbers are skipped: a bad hand edit must not stop the monitor. */
  async load(): Promise<{ measured: Map<string, number>; pinned: Map<string, number> }> {
    const [measured, pinned] = await Promise.all([
      this.redis.hgetall(this.measuredKey),
      this.redis.hgetall(this.pinnedKey),
    ]);
    return { measured: numbers(measured), pinned: numbers(pinned) };
  }
}

function numbers(hash: Record<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of Object.entries(hash)) {
    const parsed = Number(value);
    if (value.trim() !== '' && Number.isFinite(parsed)) out.set(key, parsed);
  }
  return out;
}

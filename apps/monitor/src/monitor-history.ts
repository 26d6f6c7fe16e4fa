import type { Redis } from 'ioredis';
import { numberHash, type RedisKeys } from '@meshmon/contracts';

/**
 * What a monitor must not forget across a restart: when it last measured each sensor and
 * the priorities an operator pinned. Both live in Redis hashes keyed by the monitor.
 */
export class MonitorHistory {
  private readonly measuredKey: string;
  private readonly pinnedKey: string;

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
    monitor: string,
  ) {
    this.measuredKey = keys.monitorLastMeasured(monitor);
    this.pinnedKey = keys.monitorPinnedPriority(monitor);
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
    return { measured: numberHash(measured), pinned: numberHash(pinned) };
  }
}

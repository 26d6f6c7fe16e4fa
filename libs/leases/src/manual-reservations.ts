import { wantedKey } from '@meshmon/contracts';
import type { Redis } from 'ioredis';
import { redisCall } from './redis-call.js';

/**
 * Reservations for manual measurements: a manual request waiting for two nodes marks them
 * "wanted" for a short while (refreshed at every attempt), and scheduled probes do not
 * take a lease on a wanted node. Without this a manual request retrying every 250 ms
 * rarely finds both nodes free while a run keeps them busy (tens of seconds on two nodes).
 *
 * This is fairness, not safety: the leases alone keep two measurements off one node. So
 * the check-then-acquire of a scheduled probe need not be atomic; losing that race only
 * costs the manual request one more retry.
 */
export class ManualReservations {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly commandTimeoutMs = 2000,
  ) {}

  /** Marks the nodes wanted by `holder` for `ttlMs` (a later reservation replaces it). */
  async reserve(nodes: readonly string[], holder: string, ttlMs: number): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const node of nodes) pipeline.set(this.keyOf(node), holder, 'PX', ttlMs);
    await this.send('reserve', pipeline.exec());
  }

  /** Drops the holder's reservations (compare-and-delete, so a newer one stays). */
  async release(nodes: readonly string[], holder: string): Promise<void> {
    const keys = nodes.map((node) => this.keyOf(node));
    await this.send(
      'release reservations',
      this.redis.eval(RELEASE_IF_HOLDER, keys.length, ...keys, holder),
    );
  }

  /** The holder that wants any of these nodes, other than `except`, or null. */
  async wantedBy(nodes: readonly string[], except?: string): Promise<string | null> {
    const holders = await this.send(
      'read reservations',
      this.redis.mget(...nodes.map((node) => this.keyOf(node))),
    );
    return holders.find((holder) => holder !== null && holder !== except) ?? null;
  }

  private keyOf(node: string): string {
    return wantedKey(this.keyPrefix, node);
  }

  private send<T>(what: string, command: Promise<T>): Promise<T> {
    return redisCall(what, command, this.commandTimeoutMs);
  }
}

const RELEASE_IF_HOLDER = `
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 1`;

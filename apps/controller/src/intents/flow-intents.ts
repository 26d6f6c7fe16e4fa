import type { FlowMap } from '@meshmon/contracts';
import { DiscoveredIntents } from '@meshmon/discovery';
import type { AgentRuntime } from '@meshmon/node-agent';
import type { ScopeBook } from './scope-book.js';

/** How often the last-seen time of a discovered intent is refreshed in Redis. */
const LAST_SEEN_WRITE_MS = 10_000;

/**
 * Discovery mode: this node's flow maps become intents `self -> peer`, through the
 * hysteresis of DiscoveredIntents (enter after a few sightings, leave after a long
 * silence), so a blinking connection does not make its pair flap. Every change goes to
 * the scope (and so to the monitor), to Redis for the gateway (`discoveredIntentsKey`),
 * and out as an `intent-added` / `intent-removed` event.
 */
export class FlowIntents {
  private readonly tracker: DiscoveredIntents;
  private readonly key: string;
  private timer: NodeJS.Timeout | null = null;
  private readonly since = new Map<string, number>();
  private lastSeenWrittenAt = 0;

  constructor(
    private readonly runtime: AgentRuntime,
    private readonly scope: ScopeBook,
    private readonly onScopeChanged: () => void,
  ) {
    const { windowMs, enterObservations, exitAfterMs } = runtime.config.discovery;
    this.tracker = new DiscoveredIntents({ windowMs, enterObservations, exitAfterMs });
    this.key = runtime.subjects.redis.discoveredIntents(runtime.config.node);
  }

  /**
   * A restarted controller starts with no discovered intents: forget the old ones. It also
   * says it runs in discovery mode, so the gateway knows that only intents are measured.
   */
  async start(): Promise<void> {
    const { redis, subjects, config } = this.runtime;
    await this.write(() => redis!.del(this.key));
    await this.write(() => redis!.hset(subjects.redis.discoveryMode, config.node, 'on'));
  }

  observe(map: FlowMap): void {
    const self = this.runtime.config.node;
    if (map.node !== self) return;
    const now = Date.now();
    const peers = map.peers.map((peer) => peer.node).filter((peer) => peer !== self);
    const { added, removed } = this.tracker.observe(peers, now);
    this.apply(added, removed, now);
    if (now - this.lastSeenWrittenAt >= LAST_SEEN_WRITE_MS) {
      this.lastSeenWrittenAt = now;
      const current = this.tracker.current().filter((peer) => peers.includes(peer));
      for (const peer of current) void this.record(peer, now);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private apply(added: readonly string[], removed: readonly string[], now: number): void {
    const { events, config } = this.runtime;
    for (const peer of added) {
      this.since.set(peer, now);
      this.scope.addDiscovered(peer);
      void this.record(peer, now);
      events.publish({
        type: 'intent-added',
        monitor: config.node,
        sensor: peer,
        source: 'discovered',
      });
    }
    for (const peer of removed) {
      this.since.delete(peer);
      this.scope.removeDiscovered(peer);
      void this.write(() => this.runtime.redis!.hdel(this.key, `${config.node}:${peer}`));
      events.publish({
        type: 'intent-removed',
        monitor: config.node,
        sensor: peer,
        source: 'discovered',
      });
    }
    if (added.length + removed.length > 0) this.onScopeChanged();
    this.arm();
  }

  /** One timer, at the tracker's next removal: silence alone must end an intent. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const at = this.tracker.nextDeadlineMs();
    if (at === null) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        const now = Date.now();
        this.apply([], this.tracker.expire(now), now);
      },
      Math.max(0, at - Date.now()),
    );
    this.timer.unref();
  }

  private record(peer: string, lastSeenMs: number): Promise<void> {
    const field = `${this.runtime.config.node}:${peer}`;
    const value = JSON.stringify({ sinceMs: this.since.get(peer) ?? lastSeenMs, lastSeenMs });
    return this.write(() => this.runtime.redis!.hset(this.key, field, value));
  }

  /** Redis trouble must not stop discovery: report it and go on. */
  private write(operation: () => Promise<unknown>): Promise<void> {
    return this.runtime.events.survive(this.key, 'redis-write-failed', operation);
  }
}

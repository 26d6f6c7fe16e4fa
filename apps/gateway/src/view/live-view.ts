import {
  isNodeService,
  type ErrorEventMessage,
  type MeasurementResult,
  type SchedulerEventMessage,
  type ServiceName,
} from '@meshmon/contracts';
import { CoverageTracker, type CoverageScope } from './coverage-tracker.js';

export type NodeRole = 'monitor' | 'sensor';

export interface ViewNode {
  readonly node: string;
  readonly role: NodeRole | null;
  readonly lastSeenMs: number;
  /** The other end of a granted slot, until its result, lease expiry or probe failure. */
  readonly partner: string | null;
  /** When each service of the node last reported. */
  readonly services: Readonly<Partial<Record<ServiceName, number>>>;
  /** When the gateway first learnt of the node (reporter clock). */
  readonly firstSeenMs: number;
}

export interface PairStats {
  readonly count: number;
  readonly lastMeasuredMs: number | null;
  readonly lastBitsPerSecond: number | null;
  readonly lastRttMs: number | null;
  /** Ping's packet loss alongside the last good probe, 0..1. */
  readonly lastLossRatio: number | null;
  /** iperf3's jitter of the last good UDP probe (TCP reports none). */
  readonly lastJitterMs: number | null;
}

/** Results by outcome: `ok`, or a failed result's code (a bounded set, see OUTCOME_LIMIT). */
export type OutcomeCounts = ReadonlyMap<string, number>;
/** Distinct failure codes kept; further ones count as `other` (codes come from the wire). */
export const OUTCOME_LIMIT = 32;

export interface LiveViewLimits {
  /** Further nodes are ignored (and counted) so a flood of made-up names cannot grow memory. */
  readonly maxNodes: number;
  readonly maxCoverageRecords: number;
  readonly maxHistory: number;
}

export const DEFAULT_VIEW_LIMITS: LiveViewLimits = {
  maxNodes: 256,
  maxCoverageRecords: 50_000,
  maxHistory: 240,
};

interface MutableNode {
  node: string;
  role: NodeRole | null;
  lastSeenMs: number;
  partner: string | null;
  services: Partial<Record<ServiceName, number>>;
  firstSeenMs: number;
}

const pairKey = (monitor: string, sensor: string): string => `${monitor}\u0000${sensor}`;

/**
 * What the gateway knows about the cluster, built only from the messages it is fed
 * (events and results, live or replayed), so it can be tested without NATS. Every read is
 * a copy; `version` grows with every change, so a reader can cache what it derived.
 */
export class LiveView {
  private readonly nodeMap = new Map<string, MutableNode>();
  private readonly stats = new Map<string, PairStats>();
  private readonly outcomeCounts = new Map<string, number>();
  readonly coverage: CoverageTracker;
  private changes = 0;
  /** Messages that named a node beyond `maxNodes`. */
  ignoredNodes = 0;

  constructor(private readonly limits: LiveViewLimits = DEFAULT_VIEW_LIMITS) {
    this.coverage = new CoverageTracker(limits.maxCoverageRecords, limits.maxHistory);
  }

  get version(): number {
    return this.changes;
  }

  applyEvent(message: SchedulerEventMessage): void {
    const { event, atMs } = message;
    if (event.type === 'member-removed') {
      // Drop the member first: the reporter is seen below and must stay.
      this.removeNode(event.member);
    }
    // The sink and the gateway report too, but they are not nodes.
    const reporter = isNodeService(message.service) ? this.touch(message.node, atMs) : undefined;
    if (reporter)
      reporter.services[message.service] = Math.max(reporter.services[message.service] ?? 0, atMs);
    switch (event.type) {
      case 'role-switched': {
        const node = this.touch(event.node, atMs);
        if (node) node.role = event.role;
        break;
      }
      case 'member-joined':
        this.touch(event.member, atMs);
        break;
      case 'slot-granted':
        this.setPartners(event.monitor, event.sensor, atMs);
        break;
      case 'lease-expired':
      case 'probe-failed':
        this.clearPartners(event.monitor, event.sensor);
        break;
      case 'scheduler-started':
        this.coverage.runStarted(event.runId, event.algorithm, atMs);
        break;
      default:
        break;
    }
    this.changes += 1;
  }

  /** An error event says only that its reporter is alive. */
  applyError(message: ErrorEventMessage): void {
    if (!isNodeService(message.service)) return;
    const reporter = this.touch(message.node, message.atMs);
    if (reporter)
      reporter.services[message.service] = Math.max(
        reporter.services[message.service] ?? 0,
        message.atMs,
      );
    this.changes += 1;
  }

  applyResult(result: MeasurementResult): void {
    const at = result.endedAtMs;
    const monitor = this.touch(result.monitor, at);
    const sensor = this.touch(result.sensor, at);
    if (!monitor || !sensor) return;
    monitor.services.monitor = Math.max(monitor.services.monitor ?? 0, at);
    this.clearPartners(result.monitor, result.sensor);
    const key = pairKey(result.monitor, result.sensor);
    const before = this.stats.get(key) ?? {
      count: 0,
      lastMeasuredMs: null,
      lastBitsPerSecond: null,
      lastRttMs: null,
      lastLossRatio: null,
      lastJitterMs: null,
    };
    this.countOutcome(result.ok ? 'ok' : result.error.code);
    // Every result counts as an attempt and moves lastMeasured (as the monitor's own
    // last-measured does); the figures come from good results only.
    const newer = before.lastMeasuredMs === null || at >= before.lastMeasuredMs;
    const figures = result.ok && newer;
    this.stats.set(key, {
      count: before.count + 1,
      lastMeasuredMs: newer ? at : before.lastMeasuredMs,
      lastBitsPerSecond: figures ? result.throughput.bitsPerSecond : before.lastBitsPerSecond,
      lastRttMs: figures ? (result.rtt?.avgMs ?? null) : before.lastRttMs,
      lastLossRatio: figures
        ? result.rtt
          ? result.rtt.lossPercent / 100
          : null
        : before.lastLossRatio,
      lastJitterMs: figures ? result.throughput.jitterMs : before.lastJitterMs,
    });
    if (result.ok) {
      this.coverage.measured(result.monitor, result.sensor, result.startedAtMs, at);
    }
    this.changes += 1;
  }

  /** Known nodes, by name. */
  nodes(): ViewNode[] {
    return [...this.nodeMap.values()]
      .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))
      .map((node) => ({ ...node, services: { ...node.services } }));
  }

  hasNode(node: string): boolean {
    return this.nodeMap.has(node);
  }

  get nodeCount(): number {
    return this.nodeMap.size;
  }

  role(node: string): NodeRole | null {
    return this.nodeMap.get(node)?.role ?? null;
  }

  pairStats(monitor: string, sensor: string): PairStats | undefined {
    return this.stats.get(pairKey(monitor, sensor));
  }

  /** Every pair that has measured figures, as `[monitor, sensor, stats]`. */
  *measuredPairs(): Generator<readonly [string, string, PairStats]> {
    for (const [key, stats] of this.stats) {
      const [monitor, sensor] = key.split('\u0000');
      yield [monitor, sensor, stats];
    }
  }

  /** Every result seen so far, by outcome. */
  outcomes(): OutcomeCounts {
    return new Map(this.outcomeCounts);
  }

  private countOutcome(outcome: string): void {
    const key =
      this.outcomeCounts.has(outcome) || this.outcomeCounts.size < OUTCOME_LIMIT
        ? outcome
        : 'other';
    this.outcomeCounts.set(key, (this.outcomeCounts.get(key) ?? 0) + 1);
  }

  /** The thesis's metrics for the run so far, over `scope` (null: every pair). */
  coverageNow(scope: CoverageScope | null, nowMs: number) {
    return this.coverage.compute(this.nodes(), scope, nowMs);
  }

  private touch(name: string, atMs: number): MutableNode | undefined {
    let node = this.nodeMap.get(name);
    if (!node) {
      if (this.nodeMap.size >= this.limits.maxNodes) {
        this.ignoredNodes += 1;
        return undefined;
      }
      node = {
        node: name,
        role: null,
        lastSeenMs: atMs,
        partner: null,
        services: {},
        firstSeenMs: atMs,
      };
      this.nodeMap.set(name, node);
      this.coverage.nodeSeen(atMs);
    }
    // Replayed history and live messages interleave: never move lastSeen backwards.
    node.lastSeenMs = Math.max(node.lastSeenMs, atMs);
    return node;
  }

  private removeNode(name: string): void {
    if (!this.nodeMap.delete(name)) return;
    for (const node of this.nodeMap.values()) if (node.partner === name) node.partner = null;
    for (const key of [...this.stats.keys()]) {
      const [monitor, sensor] = key.split('\u0000');
      if (monitor === name || sensor === name) this.stats.delete(key);
    }
  }

  private setPartners(monitor: string, sensor: string, atMs: number): void {
    const m = this.touch(monitor, atMs);
    const s = this.touch(sensor, atMs);
    if (m) m.partner = sensor;
    if (s) s.partner = monitor;
  }

  /** Only if they are still each other's partner: a later grant must not be undone. */
  private clearPartners(monitor: string, sensor: string): void {
    const m = this.nodeMap.get(monitor);
    const s = this.nodeMap.get(sensor);
    if (m?.partner === sensor) m.partner = null;
    if (s?.partner === monitor) s.partner = null;
  }
}

// The dashboard's picture of the cluster, fed by two sources: the periodic API refresh
// (complete but up to one period old) and the live event stream (immediate but only what
// happened since the page opened). Views render from here and never from the raw inputs.

// A granted slot whose result never arrives (the monitor died) must not stay highlighted
// for ever: a measurement that takes longer than this is no longer "in flight".
const IN_FLIGHT_LIMIT_MS = 5 * 60 * 1000;

export const pairKey = (monitor, sensor) => `${monitor}\u0000${sensor}`;

export class ClusterModel {
  /** node name -> { node, role, partner, lastSeenMs, services } */
  nodes = new Map();
  /** pairKey -> { monitor, sensor, inScope, bitsPerSecond, rttMs, atMs, count, ... } */
  pairs = new Map();
  /** pairKey -> ms since the epoch the slot was granted (browser clock) */
  inFlight = new Map();

  /** Every node named anywhere (nodes, pairs, events), sorted, for the matrix axes. */
  nodeNames() {
    const names = new Set(this.nodes.keys());
    for (const pair of this.pairs.values()) names.add(pair.monitor).add(pair.sensor);
    return [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  /** GET /api/v1/nodes: the gateway's view replaces ours, it has seen more than the page. */
  applyNodes(list) {
    const seen = new Set();
    for (const entry of list) {
      seen.add(entry.node);
      this.nodes.set(entry.node, {
        node: entry.node,
        role: entry.role ?? null,
        partner: entry.partner ?? null,
        lastSeenMs: entry.lastSeenMs ?? null,
        services: entry.services ?? {},
      });
    }
    for (const name of [...this.nodes.keys()]) if (!seen.has(name)) this.nodes.delete(name);
  }

  /**
   * GET /api/v1/pairs. A result that arrived live after the gateway answered would be
   * overwritten by the older figures and flicker back, so a pair keeps its live figures
   * while the refresh's last measurement is older than the live one's start.
   */
  applyPairs(list) {
    const seen = new Set();
    for (const entry of list) {
      const key = pairKey(entry.monitor, entry.sensor);
      seen.add(key);
      const current = this.pairs.get(key);
      const refreshed = {
        monitor: entry.monitor,
        sensor: entry.sensor,
        inScope: entry.inScope !== false,
        pinned: Boolean(entry.pinned),
        priorityMs: entry.priorityMs ?? null,
        count: entry.count ?? 0,
        atMs: entry.lastMeasuredMs ?? null,
        bitsPerSecond: entry.lastBitsPerSecond ?? null,
        rttMs: entry.lastRttMs ?? null,
        startedAtMs: null,
        failure: null,
        measurementId: null,
        source: 'refresh',
      };
      const liveIsNewer =
        current?.source === 'event' &&
        (refreshed.atMs === null || refreshed.atMs < current.startedAtMs);
      const sameAsLive =
        current?.source === 'event' && refreshed.bitsPerSecond === current.bitsPerSecond;
      if (liveIsNewer) {
        this.pairs.set(key, { ...current, inScope: refreshed.inScope, pinned: refreshed.pinned });
      } else if (sameAsLive) {
        // The gateway now has the live measurement too: keep what only the event carried
        // (its id, a failure), which the test and the tooltip rely on.
        const { failure, measurementId, startedAtMs } = current;
        this.pairs.set(key, { ...refreshed, failure, measurementId, startedAtMs, source: 'event' });
      } else {
        this.pairs.set(key, refreshed);
      }
    }
    // Keep pairs only the event stream knows yet (a node the gateway has not listed).
    for (const [key, pair] of [...this.pairs]) {
      if (!seen.has(key) && pair.source !== 'event') this.pairs.delete(key);
    }
  }

  /** A MeasurementResult from the event stream; returns the pair it changed. */
  applyResult(result) {
    const key = pairKey(result.monitor, result.sensor);
    const current = this.pairs.get(key);
    this.inFlight.delete(key);
    this.#clearPartners(result.monitor, result.sensor);
    this.#touch(result.monitor, result.endedAtMs);
    // A failed probe keeps the last good figures on screen and marks the cell instead.
    const ok = result.ok === true;
    const pair = {
      monitor: result.monitor,
      sensor: result.sensor,
      inScope: current ? current.inScope : true,
      pinned: current ? current.pinned : false,
      priorityMs: current ? current.priorityMs : null,
      count: (current?.count ?? 0) + 1,
      atMs: result.endedAtMs,
      startedAtMs: result.startedAtMs,
      bitsPerSecond: ok ? result.throughput.bitsPerSecond : (current?.bitsPerSecond ?? null),
      rttMs: ok && result.rtt ? result.rtt.avgMs : (current?.rttMs ?? null),
      failure: ok ? null : result.error,
      measurementId: result.measurementId,
      source: 'event',
    };
    this.pairs.set(key, pair);
    return pair;
  }

  /**
   * A SchedulerEventMessage ({ node, service, atMs, event }). Returns what changed:
   * 'nodes', 'pairs', 'scheduler' or null, so the caller re-renders only that.
   */
  applyEvent(message) {
    const event = message.event;
    if (!event || typeof event.type !== 'string') return null;
    this.#touch(message.node, message.atMs);
    switch (event.type) {
      case 'role-switched':
        this.#node(event.node).role = event.role;
        // A node that changes role has left whatever pair it was in.
        this.#node(event.node).partner = null;
        return 'nodes';
      case 'slot-granted':
        this.inFlight.set(pairKey(event.monitor, event.sensor), Date.now());
        this.#node(event.monitor).partner = event.sensor;
        this.#node(event.sensor).partner = event.monitor;
        return 'pairs';
      case 'slot-denied':
      case 'lease-expired':
      case 'request-timeout':
        this.inFlight.delete(pairKey(event.monitor, event.sensor));
        this.#clearPartners(event.monitor, event.sensor);
        return 'pairs';
      case 'service-started':
        this.#node(message.node).services[message.service] = message.atMs;
        return 'nodes';
      case 'member-joined':
      case 'member-removed':
      case 'service-stopping':
        return 'nodes';
      case 'scheduler-started':
      case 'scheduler-stopped':
        return 'scheduler';
      default:
        return null;
    }
  }

  /** Pairs in flight now, dropping any past the limit. */
  inFlightKeys(nowMs = Date.now()) {
    for (const [key, sinceMs] of [...this.inFlight]) {
      if (nowMs - sinceMs > IN_FLIGHT_LIMIT_MS) this.inFlight.delete(key);
    }
    return new Set(this.inFlight.keys());
  }

  #node(name) {
    let node = this.nodes.get(name);
    if (!node) {
      node = { node: name, role: null, partner: null, lastSeenMs: null, services: {} };
      this.nodes.set(name, node);
    }
    return node;
  }

  #touch(name, atMs) {
    if (typeof name !== 'string' || typeof atMs !== 'number') return;
    const node = this.#node(name);
    node.lastSeenMs = Math.max(node.lastSeenMs ?? 0, atMs);
  }

  #clearPartners(monitor, sensor) {
    const m = this.nodes.get(monitor);
    const s = this.nodes.get(sensor);
    if (m && m.partner === sensor) m.partner = null;
    if (s && s.partner === monitor) s.partner = null;
  }
}

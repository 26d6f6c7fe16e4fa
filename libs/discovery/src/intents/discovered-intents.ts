/**
 * Discovery mode's hysteresis: which peers of one node have been talking to it often
 * enough to be measured. The controller feeds it the peers of each flow map its node
 * publishes and turns each peer P into the pair (self -> P). Pure and clock-fed: the
 * adapter passes `nowMs` and arms one timer at `nextDeadlineMs()`.
 *
 * Rule, per peer:
 *  - enter: the peer is in at least `enterObservations` distinct observations within the
 *    last `windowMs` (inclusive of both ends). One sighting is not enough by default,
 *    so a single short exchange (a lookup, a health check) does not start a measurement
 *    series;
 *  - stay: every observation that lists the peer renews it;
 *  - exit: the peer has not been listed for `exitAfterMs`. Because exitAfterMs > windowMs,
 *    a connection that blinks (listed, missed for a few polls, listed again) keeps its
 *    intent instead of flapping it off and on; a peer must be silent for the whole
 *    exit period before its pair stops being measured.
 *
 * Time that goes backwards (a non-monotonic clock) is treated as no time passing.
 */

export interface DiscoveredIntentsOptions {
  /** How far back observations count towards entering. */
  readonly windowMs: number;
  /** Distinct observations within the window a peer needs to become an intent. */
  readonly enterObservations: number;
  /** Silence after which an intent is removed; must exceed windowMs. */
  readonly exitAfterMs: number;
}

/**
 * Defaults for flow maps every 2 s: two sightings within 30 s make an intent (a flow
 * seen in two polls, not a one-off), and two minutes of silence remove it (four windows:
 * a connection pool that reconnects every minute, or a batch job with pauses, keeps
 * its pair measured).
 */
export const DEFAULT_DISCOVERED_INTENTS_OPTIONS: DiscoveredIntentsOptions = {
  windowMs: 30_000,
  enterObservations: 2,
  exitAfterMs: 120_000,
};

export interface IntentChanges {
  /** Peers that became intents, sorted. */
  readonly added: string[];
  /** Peers whose intents were removed, sorted. */
  readonly removed: string[];
}

/** Options that break a rule; `problems` names each option and its rule. */
export class DiscoveredIntentsOptionsError extends Error {
  override readonly name = 'DiscoveredIntentsOptionsError';

  constructor(readonly problems: readonly { field: string; rule: string }[]) {
    super(problems.map(({ field, rule }) => `${field} ${rule}`).join('; '));
  }
}

/** Problems with the options; empty when they are valid. */
export function discoveredIntentsOptionsProblems(
  options: DiscoveredIntentsOptions,
): { field: string; rule: string }[] {
  const problems: { field: string; rule: string }[] = [];
  const { windowMs, enterObservations, exitAfterMs } = options;
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) {
    problems.push({ field: 'windowMs', rule: 'must be an integer >= 1' });
  }
  if (!Number.isSafeInteger(enterObservations) || enterObservations < 1) {
    problems.push({ field: 'enterObservations', rule: 'must be an integer >= 1' });
  }
  if (!Number.isSafeInteger(exitAfterMs) || exitAfterMs < 1) {
    problems.push({ field: 'exitAfterMs', rule: 'must be an integer >= 1' });
  } else if (Number.isSafeInteger(windowMs) && exitAfterMs <= windowMs) {
    problems.push({ field: 'exitAfterMs', rule: 'must be greater than windowMs' });
  }
  return problems;
}

interface PeerState {
  /** The latest observations (at most enterObservations) within the window, oldest first. */
  seenAtMs: number[];
  lastSeenMs: number;
  active: boolean;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class DiscoveredIntents {
  readonly options: DiscoveredIntentsOptions;
  private readonly peers = new Map<string, PeerState>();
  private latestMs = Number.NEGATIVE_INFINITY;

  /** Throws DiscoveredIntentsOptionsError when an option breaks its rule. */
  constructor(options: Partial<DiscoveredIntentsOptions> = {}) {
    const merged = { ...DEFAULT_DISCOVERED_INTENTS_OPTIONS, ...options };
    const problems = discoveredIntentsOptionsProblems(merged);
    if (problems.length > 0) throw new DiscoveredIntentsOptionsError(problems);
    this.options = merged;
  }

  /** One flow map of this node: the peer names it lists (duplicates count once). */
  observe(peers: readonly string[], nowMs: number): IntentChanges {
    const now = this.clock(nowMs);
    const added: string[] = [];
    for (const peer of new Set(peers)) {
      const state = this.peers.get(peer) ?? { seenAtMs: [], lastSeenMs: now, active: false };
      state.seenAtMs.push(now);
      // Only the latest `enterObservations` sightings can decide entering: keep no more.
      if (state.seenAtMs.length > this.options.enterObservations) state.seenAtMs.shift();
      state.lastSeenMs = now;
      this.dropOutsideWindow(state, now);
      if (!state.active && state.seenAtMs.length >= this.options.enterObservations) {
        state.active = true;
        added.push(peer);
      }
      this.peers.set(peer, state);
    }
    return { added: added.sort(byName), removed: this.expireAt(now) };
  }

  /** Removals due by `nowMs` without a new observation (call at nextDeadlineMs()). */
  expire(nowMs: number): string[] {
    return this.expireAt(this.clock(nowMs));
  }

  /** When the next intent would be removed if nothing is observed; null with none. */
  nextDeadlineMs(): number | null {
    let next: number | null = null;
    for (const state of this.peers.values()) {
      if (!state.active) continue;
      const deadline = state.lastSeenMs + this.options.exitAfterMs;
      if (next === null || deadline < next) next = deadline;
    }
    return next;
  }

  /** The peers whose intents are in force, sorted. */
  current(): string[] {
    return [...this.peers.entries()]
      .filter(([, state]) => state.active)
      .map(([peer]) => peer)
      .sort(byName);
  }

  private clock(nowMs: number): number {
    if (!Number.isFinite(nowMs)) throw new RangeError('nowMs must be a finite number');
    this.latestMs = Math.max(this.latestMs, nowMs);
    return this.latestMs;
  }

  private dropOutsideWindow(state: PeerState, now: number): void {
    const oldest = now - this.options.windowMs;
    while (state.seenAtMs.length > 0 && state.seenAtMs[0] < oldest) state.seenAtMs.shift();
  }

  /** Removes silent intents and forgets candidates with no sighting left in the window. */
  private expireAt(now: number): string[] {
    const removed: string[] = [];
    for (const [peer, state] of this.peers) {
      this.dropOutsideWindow(state, now);
      if (state.active && now - state.lastSeenMs >= this.options.exitAfterMs) {
        removed.push(peer);
        this.peers.delete(peer);
      } else if (!state.active && state.seenAtMs.length === 0) {
        this.peers.delete(peer);
      }
    }
    return removed.sort(byName);
  }
}

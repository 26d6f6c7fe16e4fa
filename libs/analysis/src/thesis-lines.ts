import type { AlgorithmName } from '@meshmon/scheduling';

/**
 * The thesis's regression lines (Tables 4 and 5), x = number of nodes, in minutes.
 * Meshmon's own algorithm has no thesis line; for it the "theoretical" wait applies.
 */
export const THESIS_FULL_COVERAGE_MINUTES: Partial<Record<AlgorithmName, (x: number) => number>> = {
  rr: (x) => 0.2202 * x * x - 0.0652 * x - 1.3742,
  crs: (x) => 3.5462 * x - 10.503,
  cps: (x) => 1.1158 * x + 0.6904,
};

export const THESIS_MEAN_WAIT_MINUTES: Partial<Record<AlgorithmName, (x: number) => number>> = {
  cps: (x) => 0.3004 * x - 0.6042,
  crs: (x) => 0.407 * x - 0.7604,
  // Section 8: RR's average wait over all pairs, 6.725 (n(n-1) + 1) seconds.
  rr: (x) => (6.725 * (x * (x - 1) + 1)) / 60,
};

/** The thesis's "theoretical" average wait, every node always in an event: 0.2242 x minutes. */
export const THESIS_THEORETICAL_WAIT_MINUTES = (x: number): number => 0.2242 * x;

/** The thesis's event time (seconds): the lines above are for events this long. */
export const THESIS_EVENT_SECONDS = 13.45;

/**
 * How long a full CPS cycle takes: the thesis's CPS full-coverage line at `nodes`, scaled
 * from its 13.45 s events to `eventSeconds`. What "a pair is measured again within a cycle"
 * means for the fault suite's bounds and the alert on unmeasured pairs.
 */
export function expectedCycleSeconds(nodes: number, eventSeconds: number): number {
  return THESIS_FULL_COVERAGE_MINUTES.cps!(nodes) * 60 * (eventSeconds / THESIS_EVENT_SECONDS);
}

import type { StoredResult } from '@meshmon/influx-store';

/** Every ordered pair of distinct nodes, as "monitor>sensor". */
export const orderedPairs = (nodes: readonly string[]): string[] =>
  nodes.flatMap((monitor) =>
    nodes.filter((sensor) => sensor !== monitor).map((sensor) => `${monitor}>${sensor}`),
  );

/** The pairs (of `nodes`) with no good result that started at or after `sinceMs`. */
export function uncoveredPairs(
  results: readonly StoredResult[],
  nodes: readonly string[],
  sinceMs: number,
): string[] {
  const covered = new Set(
    results
      .filter((result) => result.ok && result.startedAtMs >= sinceMs)
      .map((result) => `${result.monitor}>${result.sensor}`),
  );
  return orderedPairs(nodes).filter((pair) => !covered.has(pair));
}

/**
 * Seconds from `sinceMs` until every pair had a good result: the latest of the pairs' first
 * good results' ends (from the stored figures, not from when the test saw them).
 */
export function coverageSeconds(
  results: readonly StoredResult[],
  nodes: readonly string[],
  sinceMs: number,
): number {
  const firstEnd = new Map<string, number>();
  for (const result of results) {
    if (!result.ok || result.startedAtMs < sinceMs) continue;
    const pair = `${result.monitor}>${result.sensor}`;
    const end = result.startedAtMs + result.durationMs;
    firstEnd.set(pair, Math.min(firstEnd.get(pair) ?? end, end));
  }
  const ends = orderedPairs(nodes).map((pair) => firstEnd.get(pair) ?? Number.NaN);
  return (Math.max(...ends) - sinceMs) / 1000;
}

import type { PairInScope } from './coverage-metrics.js';
import type { MeasurementRecord } from './measurement-record.js';

/** The run cut into cycles: each ends when every pair in scope was measured since it began. */
export interface CoverageCycles {
  /** Cycles completed since the run started. */
  readonly completed: number;
  /** How long the last completed cycle took (from its start to its last pair's measurement). */
  readonly lastCycleSeconds: number | null;
  /** When the current cycle began: the run's start, or the end of the last cycle. */
  readonly currentStartSeconds: number;
  /** Pairs in scope measured since the current cycle began, over pairs in scope (0..1). */
  readonly currentCoverage: number;
}

/**
 * Cuts a run into coverage cycles, as an operator asks "how long does one round over every
 * pair take now?" rather than since the run began. A measurement counts at its end; pairs
 * outside `scope` are ignored; a cycle of an empty scope never completes.
 */
export function coverageCycles(
  records: readonly MeasurementRecord[],
  scope: readonly PairInScope[],
): CoverageCycles {
  const inScope = new Set(scope.map((pair) => `${pair.monitor}>${pair.sensor}`));
  const byEnd = [...records].sort((a, b) => a.endSeconds - b.endSeconds);
  let completed = 0;
  let lastCycleSeconds: number | null = null;
  let currentStart = 0;
  const seen = new Set<string>();
  for (const record of byEnd) {
    const pair = `${record.monitor}>${record.sensor}`;
    if (!inScope.has(pair)) continue;
    seen.add(pair);
    if (seen.size === inScope.size) {
      completed += 1;
      lastCycleSeconds = record.endSeconds - currentStart;
      currentStart = record.endSeconds;
      seen.clear();
    }
  }
  return {
    completed,
    lastCycleSeconds,
    currentStartSeconds: currentStart,
    currentCoverage: inScope.size === 0 ? 0 : seen.size / inScope.size,
  };
}

import { leasedConflicts } from '@meshmon/analysis';
import type { StoredResult } from '@meshmon/influx-store';
import type { LedgerEntry } from '@meshmon/node-agent';
import type { FaultName } from './chaos-plan.js';

/** When one fault was injected, lifted and recovered from, in wall-clock milliseconds. */
export interface FaultWindow {
  readonly fault: FaultName;
  readonly injectedAtMs: number;
  readonly liftedAtMs: number;
  /** Null: not recovered within the bound. */
  readonly recoveredAtMs: number | null;
  readonly boundSeconds: number;
}

/** One row of the table (and of --json's `faults`): the names other tools script against. */
export interface FaultRow {
  readonly fault: FaultName;
  /** Seconds from the start of the measuring to the injection. */
  readonly injectedAtSeconds: number;
  /** Seconds from the lift to recovery; null when it did not recover within the bound. */
  readonly recoveredSeconds: number | null;
  readonly boundSeconds: number;
  /** Results the monitors counted (their ledgers) that started in the fault's window. */
  readonly produced: number;
  /** Of those, the ones InfluxDB holds. */
  readonly stored: number;
  /** Counted by a monitor, not in InfluxDB. */
  readonly lost: number;
  /** Extra points for a measurement id InfluxDB already had a point for. */
  readonly duplicated: number;
  /** Overlapping measurements on a node, by the independent checker over what was stored. */
  readonly conflicts: number;
}

export interface Books {
  readonly rows: FaultRow[];
  /** The whole run, the time before the first fault included. */
  readonly total: Omit<
    FaultRow,
    'fault' | 'injectedAtSeconds' | 'recoveredSeconds' | 'boundSeconds'
  >;
  /** Stored results no monitor counted (one killed between its outbox and its ledger). */
  readonly uncounted: number;
}

/**
 * Balances the monitors' own counts against what InfluxDB stored. A fault's window runs
 * from its injection to the next one's (the last to the end of the run); a result belongs
 * to the window its measurement started in, a conflict to the window of the later of its
 * two measurements.
 */
export function balanceBooks(input: {
  readonly windows: readonly FaultWindow[];
  readonly produced: readonly LedgerEntry[];
  readonly stored: readonly StoredResult[];
  readonly startedAtMs: number;
}): Books {
  const { windows, produced, stored, startedAtMs } = input;
  const storedIds = new Map<string, number>();
  for (const result of stored)
    storedIds.set(result.measurementId, (storedIds.get(result.measurementId) ?? 0) + 1);
  const producedIds = new Set(produced.map((entry) => entry.measurementId));
  const conflicts = leasedConflicts(stored, Number.MAX_SAFE_INTEGER).listed;

  const tally = (fromMs: number, toMs: number) => {
    const inWindow = (ms: number) => ms >= fromMs && ms < toMs;
    const mine = produced.filter((entry) => inWindow(entry.startedAtMs));
    const ids = new Set(mine.map((entry) => entry.measurementId));
    const lost = [...ids].filter((id) => !storedIds.has(id)).length;
    const points = stored.filter((result) => inWindow(result.startedAtMs));
    const distinct = new Set(points.map((result) => result.measurementId));
    return {
      produced: ids.size,
      stored: ids.size - lost,
      lost,
      duplicated: points.length - distinct.size,
      conflicts: conflicts.filter((conflict) => inWindow(conflict.second.startSeconds * 1000))
        .length,
    };
  };

  const rows = windows.map((window, index) => {
    const endMs = windows[index + 1]?.injectedAtMs ?? Number.POSITIVE_INFINITY;
    return {
      fault: window.fault,
      injectedAtSeconds: round((window.injectedAtMs - startedAtMs) / 1000),
      recoveredSeconds:
        window.recoveredAtMs === null
          ? null
          : round((window.recoveredAtMs - window.liftedAtMs) / 1000),
      boundSeconds: window.boundSeconds,
      ...tally(window.injectedAtMs, endMs),
    };
  });
  return {
    rows,
    total: tally(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
    uncounted: [...storedIds.keys()].filter((id) => !producedIds.has(id)).length,
  };
}

/** Whether a row is what issue 16 asks: nothing lost, twice or conflicting, back in time. */
export const rowPasses = (row: FaultRow): boolean =>
  row.lost === 0 &&
  row.duplicated === 0 &&
  row.conflicts === 0 &&
  row.recoveredSeconds !== null &&
  row.recoveredSeconds <= row.boundSeconds;

const round = (seconds: number): number => Math.round(seconds * 10) / 10;

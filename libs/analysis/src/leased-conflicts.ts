import { checkConflicts, type ConflictReport } from './conflict-checker.js';
import type { MeasurementRecord } from './measurement-record.js';

/** A measurement as a result records it: who, when, and the fencing token it held. */
export interface LeasedMeasurement {
  readonly monitor: string;
  readonly sensor: string;
  readonly startedAtMs: number;
  readonly durationMs: number;
  /** 0 when the measurement never got its leases (it ran no probe). */
  readonly fencingToken: number;
}

/**
 * The independent conflict check over results as stored or observed: only results that
 * got their leases (fencing token >= 1) ran a probe; a refused measurement ran nothing,
 * and refusing it is what keeps the invariant.
 */
export function leasedConflicts(
  results: readonly LeasedMeasurement[],
  maxListed?: number,
): ConflictReport {
  const records: MeasurementRecord[] = results
    .filter((result) => result.fencingToken >= 1)
    .map((result) => ({
      monitor: result.monitor,
      sensor: result.sensor,
      startSeconds: result.startedAtMs / 1000,
      endSeconds: (result.startedAtMs + result.durationMs) / 1000,
      tool: 'iperf3',
    }));
  return checkConflicts(records, maxListed);
}

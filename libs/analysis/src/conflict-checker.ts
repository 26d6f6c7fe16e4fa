import { toolsConflict, type MeasurementRecord, type ProbeTool } from './measurement-record.js';

export interface Conflict {
  /** The node that took part in both measurements. */
  readonly node: string;
  readonly first: MeasurementRecord;
  readonly second: MeasurementRecord;
  readonly overlapSeconds: number;
}

export interface ConflictReport {
  readonly measurements: number;
  readonly conflicts: number;
  /** The first conflicts found, in time order (at most `maxListed`). */
  readonly listed: readonly Conflict[];
}

/**
 * The invariant, checked from the outside: no node takes part in two conflicting
 * measurements (as monitor or sensor) whose time intervals overlap. Touching intervals
 * (one ends exactly when the next starts) are fine.
 *
 * This knows nothing about how the schedule was made; it only reads the log, so it can
 * judge the simulator, the lab and a live cluster alike. O(M log M) per node for M
 * measurements, plus the number of conflicts found.
 */
export function checkConflicts(
  records: readonly MeasurementRecord[],
  maxListed = 20,
): ConflictReport {
  const byNode = new Map<string, MeasurementRecord[]>();
  const add = (node: string, record: MeasurementRecord): void => {
    const list = byNode.get(node);
    if (list) list.push(record);
    else byNode.set(node, [record]);
  };
  for (const record of records) {
    if (record.monitor === record.sensor) {
      throw new RangeError(
        `measurement of ${record.monitor} by itself: monitor and sensor must differ`,
      );
    }
    if (!(record.endSeconds >= record.startSeconds)) {
      throw new RangeError(
        `measurement ${record.monitor}->${record.sensor}: endSeconds must be >= startSeconds`,
      );
    }
    add(record.monitor, record);
    add(record.sensor, record);
  }
  let conflicts = 0;
  const listed: Conflict[] = [];
  for (const [node, list] of byNode) {
    list.sort((a, b) => a.startSeconds - b.startSeconds || a.endSeconds - b.endSeconds);
    // Intervals still open at the current start; most runs keep this at one element.
    const open: MeasurementRecord[] = [];
    for (const record of list) {
      for (let i = open.length - 1; i >= 0; i--) {
        if (open[i].endSeconds <= record.startSeconds) open.splice(i, 1);
      }
      for (const other of open) {
        if (!toolsConflict(toolOf(other), toolOf(record))) continue;
        conflicts += 1;
        if (listed.length < maxListed) {
          listed.push({
            node,
            first: other,
            second: record,
            overlapSeconds: Math.min(other.endSeconds, record.endSeconds) - record.startSeconds,
          });
        }
      }
      open.push(record);
    }
  }
  listed.sort((a, b) => a.second.startSeconds - b.second.startSeconds);
  return { measurements: records.length, conflicts, listed };
}

const toolOf = (record: MeasurementRecord): ProbeTool => record.tool ?? 'iperf3';

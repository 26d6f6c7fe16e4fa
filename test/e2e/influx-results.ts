import { checkConflicts, type ConflictReport, type MeasurementRecord } from '@meshmon/analysis';
import { influxAuthorization, type InfluxCredentials } from '@meshmon/influx-store';

/** One `throughput` point as the result sink stored it (one per result, good or failed). */
export interface StoredResult {
  readonly monitor: string;
  readonly sensor: string;
  /** The result's start: the point's timestamp, whose sub-millisecond part is an id hash. */
  readonly startedAtMs: number;
  readonly durationMs: number;
  readonly fencingToken: number;
  readonly ok: boolean;
  /** A failed result's code (`iperf3-cancelled`, `lease-taken`, ...); null when ok. */
  readonly errorCode: string | null;
  /** The sink's tag: where the cluster runs (MESHMON_ORCHESTRATOR). */
  readonly orchestrator: string;
}

export class InfluxQueryError extends Error {
  override readonly name = 'InfluxQueryError';
}

interface InfluxSeries {
  readonly columns: string[];
  readonly values: unknown[][];
}
interface InfluxResponse {
  readonly results?: { series?: InfluxSeries[]; error?: string }[];
  readonly error?: string;
}

/**
 * Every `throughput` point of the database, straight from InfluxDB's HTTP API (not through
 * the gateway: the test checks what was stored). `epoch=ms` truncates the nanosecond
 * timestamps to the result's own start millisecond.
 */
export async function storedResults(
  influxUrl: string,
  database: string,
  login: InfluxCredentials | null,
): Promise<StoredResult[]> {
  const query =
    'SELECT "duration_ms", "fencing_token", "monitor", "sensor", "ok", "orchestrator", "error_code" FROM "throughput"';
  const url = `${influxUrl}/query?db=${encodeURIComponent(database)}&epoch=ms&q=${encodeURIComponent(query)}`;
  const response = await fetch(url, {
    headers: login ? { authorization: influxAuthorization(login) } : {},
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as InfluxResponse;
  const error = body.error ?? body.results?.[0]?.error;
  // Before the sink has created the database, the query fails: nothing stored yet.
  if (error?.includes('database not found')) return [];
  if (!response.ok || error) {
    throw new InfluxQueryError(`InfluxDB query failed (${response.status}): ${error ?? ''}`);
  }
  const series = body.results?.[0]?.series?.[0];
  if (!series) return [];
  const column = (name: string): number => {
    const index = series.columns.indexOf(name);
    if (index < 0) throw new InfluxQueryError(`InfluxDB answered without column ${name}`);
    return index;
  };
  const [time, duration, token, monitor, sensor, ok, orchestrator] = [
    'time',
    'duration_ms',
    'fencing_token',
    'monitor',
    'sensor',
    'ok',
    'orchestrator',
  ].map(column);
  // Only there once some result has failed.
  const errorCode = series.columns.indexOf('error_code');
  return series.values.map((row) => ({
    monitor: String(row[monitor]),
    sensor: String(row[sensor]),
    startedAtMs: Number(row[time]),
    durationMs: Number(row[duration]),
    fencingToken: Number(row[token]),
    ok: row[ok] === 'true',
    orchestrator: String(row[orchestrator]),
    errorCode: errorCode < 0 || row[errorCode] === null ? null : String(row[errorCode]),
  }));
}

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

/**
 * The independent conflict check over the stored intervals, as the lab does it
 * (apps/lab/src/report): only results that got their leases (fencing token >= 1) ran a
 * probe; a refused measurement ran nothing, and refusing it is what keeps the invariant.
 */
export function storedConflicts(results: readonly StoredResult[]): ConflictReport {
  const records: MeasurementRecord[] = results
    .filter((result) => result.fencingToken >= 1)
    .map((result) => ({
      monitor: result.monitor,
      sensor: result.sensor,
      startSeconds: result.startedAtMs / 1000,
      endSeconds: (result.startedAtMs + result.durationMs) / 1000,
      tool: 'iperf3',
    }));
  return checkConflicts(records);
}

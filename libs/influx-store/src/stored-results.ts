import { influxAuthorization, type InfluxCredentials } from './influx-endpoint.js';
import { MEASUREMENTS } from './schema.js';

/** One `throughput` point as the result sink stored it (one per result, good or failed). */
export interface StoredResult {
  /** The result's id: one point per id, however often it was delivered. */
  readonly measurementId: string;
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
 * the gateway: for checks of what was stored). `epoch=ms` truncates the nanosecond
 * timestamps to the result's own start millisecond.
 */
export async function storedResults(
  influxUrl: string,
  database: string,
  login: InfluxCredentials | null,
): Promise<StoredResult[]> {
  const query = `SELECT "measurement_id", "duration_ms", "fencing_token", "monitor", "sensor", "ok", "orchestrator", "error_code" FROM "${MEASUREMENTS.throughput}"`;
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
  const [id, time, duration, token, monitor, sensor, ok, orchestrator] = [
    'measurement_id',
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
    measurementId: String(row[id]),
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

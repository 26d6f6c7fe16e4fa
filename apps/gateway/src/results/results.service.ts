import { Inject, Injectable } from '@nestjs/common';
import type { IResults } from 'influx';
import { MEASUREMENTS, TAGS } from '@meshmon/influx-store';
import { ApiError } from '../http/api-error.js';
import { parseTime } from '../http/field-rules.js';
import { GATEWAY_RUNTIME } from '../runtime/runtime.di-tokens.js';
import type { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { FIELDS, camelCase, rttFieldName } from './result-fields.js';
import { DEFAULT_RESULTS_LIMIT, type Aggregate, type ResultsQueryDto } from './results.dto.js';

const HOUR_MS = 3600_000;

const AGGREGATE_CALLS: Readonly<Record<Exclude<Aggregate, 'none'>, (field: string) => string>> = {
  mean: (field) => `MEAN("${field}")`,
  median: (field) => `MEDIAN("${field}")`,
  min: (field) => `MIN("${field}")`,
  max: (field) => `MAX("${field}")`,
  p95: (field) => `PERCENTILE("${field}", 95)`,
};

type Row = Record<string, unknown> & { time?: { getTime(): number } };

/**
 * Results from InfluxDB. Nothing a client sent is ever spliced into InfluxQL as text: tag
 * values go as bound parameters ($monitor), times are validated integers, and the
 * aggregate and interval come from closed lists checked by the DTO.
 */
@Injectable()
export class ResultsService {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  async query(query: ResultsQueryDto): Promise<{ results: Record<string, unknown>[] }> {
    const nowMs = Date.now();
    const toMs = query.to === undefined ? nowMs : parseTime(query.to)!;
    const fromMs = query.from === undefined ? toMs - HOUR_MS : parseTime(query.from)!;
    if (fromMs > toMs) throw ApiError.invalid([{ field: 'from', rule: 'must not be after to' }]);
    const aggregate = query.aggregate ?? 'none';
    if (aggregate === 'none' && query.interval !== undefined) {
      throw ApiError.invalid([{ field: 'interval', rule: 'needs an aggregate other than none' }]);
    }
    const limit = query.limit === undefined ? DEFAULT_RESULTS_LIMIT : Number(query.limit);

    const placeholders: Record<string, string> = { cluster: this.runtime.subjects.cluster };
    const where = [`"${TAGS.cluster}" = $cluster`];
    for (const tag of ['monitor', 'sensor', 'tool'] as const) {
      const value = query[tag];
      if (value === undefined) continue;
      placeholders[tag] = value;
      where.push(`"${TAGS[tag]}" = $${tag}`);
    }
    where.push(`time >= ${Math.trunc(fromMs)}ms`, `time <= ${Math.trunc(toMs)}ms`);
    const filter = where.join(' AND ');

    const rows =
      aggregate === 'none'
        ? await this.raw(filter, limit, placeholders)
        : await this.aggregated(filter, aggregate, query.interval, limit, placeholders, fromMs);
    return { results: rows };
  }

  private async raw(filter: string, limit: number, placeholders: Record<string, string>) {
    const [throughput, rtt] = await this.run(
      [
        `SELECT * FROM "${MEASUREMENTS.throughput}" WHERE ${filter} ORDER BY time DESC LIMIT ${limit}`,
        `SELECT * FROM "${MEASUREMENTS.rtt}" WHERE ${filter} ORDER BY time DESC LIMIT ${limit}`,
      ],
      placeholders,
    );
    const rttById = new Map<string, Row>();
    for (const row of rtt) rttById.set(joinKey(row), row);
    return throughput.map((row) => {
      const point = throughputPoint(row);
      const ping = rttById.get(joinKey(row));
      for (const column of Object.values(FIELDS.rtt)) {
        if (column === FIELDS.rtt.measurementId) continue;
        point[rttFieldName(column)] = numberOrNull(ping?.[column]);
      }
      return point;
    });
  }

  private async aggregated(
    filter: string,
    aggregate: Exclude<Aggregate, 'none'>,
    interval: string | undefined,
    limit: number,
    placeholders: Record<string, string>,
    fromMs: number,
  ) {
    const call = AGGREGATE_CALLS[aggregate];
    const groups = [`"${TAGS.monitor}"`, `"${TAGS.sensor}"`, `"${TAGS.tool}"`];
    const group =
      interval === undefined
        ? groups.join(', ')
        : `time(${interval}), ${groups.join(', ')} fill(none)`;
    // Only good measurements have figures worth averaging.
    const good = `${filter} AND "${TAGS.ok}" = 'true'`;
    const [throughput, rtt] = await this.run(
      [
        `SELECT ${call(FIELDS.throughput.bitsPerSecond)} AS "bits_per_second" FROM "${MEASUREMENTS.throughput}" WHERE ${good} GROUP BY ${group} ORDER BY time DESC LIMIT ${limit}`,
        `SELECT ${call(FIELDS.rtt.avgMs)} AS "rtt_avg_ms" FROM "${MEASUREMENTS.rtt}" WHERE ${good} GROUP BY ${group} ORDER BY time DESC LIMIT ${limit}`,
      ],
      placeholders,
    );
    const key = (row: Row): string =>
      `${row.time?.getTime() ?? fromMs}\u0000${String(row.monitor)}\u0000${String(row.sensor)}\u0000${String(row.tool)}`;
    const rttByKey = new Map(rtt.map((row) => [key(row), row]));
    const points = throughput.map((row) => ({
      timeMs: interval === undefined ? fromMs : (row.time?.getTime() ?? fromMs),
      monitor: row.monitor,
      sensor: row.sensor,
      tool: row.tool,
      aggregate,
      bitsPerSecond: numberOrNull(row.bits_per_second),
      rttAvgMs: numberOrNull(rttByKey.get(key(row))?.rtt_avg_ms),
    }));
    return points.sort((a, b) => b.timeMs - a.timeMs).slice(0, limit);
  }

  private async run(queries: string[], placeholders: Record<string, string>): Promise<Row[][]> {
    try {
      return await Promise.all(
        queries.map(async (text) => [
          ...((await this.runtime.influx.query(text, { placeholders })) as IResults<Row>),
        ]),
      );
    } catch (error) {
      if (/database not found/i.test(String(error))) return queries.map(() => []);
      throw ApiError.unavailable(`InfluxDB is unavailable: ${(error as Error).message}`, error);
    }
  }
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A measurement's throughput and RTT points share its id (else its time and pair). */
function joinKey(row: Row): string {
  const id = row[FIELDS.throughput.measurementId];
  if (typeof id === 'string' && id !== '') return id;
  return `${row.time?.getTime()}\u0000${String(row.monitor)}\u0000${String(row.sensor)}`;
}

const IDENTITY = new Set<string>(['time', FIELDS.tags.cluster]);

/** Every stored column of a throughput point in camelCase, the time as ms, ok as a boolean. */
function throughputPoint(row: Row): Record<string, unknown> {
  const point: Record<string, unknown> = { timeMs: row.time?.getTime() ?? null };
  for (const [column, value] of Object.entries(row)) {
    if (IDENTITY.has(column)) continue;
    point[camelCase(column)] = column === FIELDS.tags.ok ? value === 'true' : value;
  }
  point.bitsPerSecond = numberOrNull(row[FIELDS.throughput.bitsPerSecond]);
  return point;
}

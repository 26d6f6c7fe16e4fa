/**
 * Meshmon's InfluxDB 1.x schema, declared beside the code that writes it (node-influx's
 * habit) so that the writer, the gateway's queries and the README cannot drift apart.
 *
 * A point is identified by measurement, tag set and timestamp: writing the same point
 * twice keeps one. Every point therefore gets a timestamp derived from what it records
 * (a result's start, an event's report time) plus a deterministic sub-millisecond offset
 * from its identity, never the time it was written, so a redelivered message overwrites
 * itself instead of adding a second point.
 */

/** Tags: few distinct values each, because InfluxDB indexes every tag combination. */
export const TAGS = {
  cluster: 'cluster',
  monitor: 'monitor',
  sensor: 'sensor',
  tool: 'tool',
  orchestrator: 'orchestrator',
  node: 'node',
  service: 'service',
  type: 'type',
  ok: 'ok',
} as const;

export const MEASUREMENTS = {
  /** One point per measurement result (good or failed); throughput figures and CPU. */
  throughput: 'throughput',
  /** One point per result that has ping figures. */
  rtt: 'rtt',
  /** One point per scheduler or service event, and per error event (type `error`). */
  events: 'scheduler_events',
  /** Resource samples of the services (CPU, memory), for the orchestrator comparison. */
  resources: 'resource_samples',
} as const;

export type MeasurementName = (typeof MEASUREMENTS)[keyof typeof MEASUREMENTS];

/** Default database and retention policy; both configurable (MESHMON_INFLUX_*). */
export const DEFAULT_DATABASE = 'meshmon';
export const DEFAULT_RETENTION_POLICY = 'meshmon_30d';
export const DEFAULT_RETENTION_DURATION = '30d';

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
  run: 'run',
} as const;

export const MEASUREMENTS = {
  /** One point per measurement result (good or failed); throughput figures and CPU. */
  throughput: 'throughput',
  /** One point per result that has ping figures. */
  rtt: 'rtt',
  /** One point per scheduler or service event, and per error event (type `error`). */
  events: 'scheduler_events',
  /** Resource samples of the services and the orchestrator's daemons (CPU, memory, traffic). */
  resources: 'resource_samples',
} as const;

export type MeasurementName = (typeof MEASUREMENTS)[keyof typeof MEASUREMENTS];

/** Default database and retention policy; both configurable (MESHMON_INFLUX_*). */
export const DEFAULT_DATABASE = 'meshmon';
export const DEFAULT_RETENTION_POLICY = 'meshmon_30d';
export const DEFAULT_RETENTION_DURATION = '30d';

/** Where the services run; the `orchestrator` tag lets one database compare them. */
export { ORCHESTRATORS, type Orchestrator } from '@meshmon/contracts';

/**
 * Field names of each measurement that the sink writes, in InfluxQL's snake_case. Figures
 * a result does not have (UDP jitter on a TCP probe, everything on a failed one) are left
 * out of the point, never written as 0.
 */
export const THROUGHPUT_FIELDS = {
  bitsPerSecond: 'bits_per_second',
  bytes: 'bytes',
  retransmits: 'retransmits',
  jitterMs: 'jitter_ms',
  lostPercent: 'lost_percent',
  cpuClientPercent: 'cpu_client_percent',
  cpuServerPercent: 'cpu_server_percent',
  durationMs: 'duration_ms',
  fencingToken: 'fencing_token',
  measurementId: 'measurement_id',
  algorithm: 'algorithm',
  errorCode: 'error_code',
  errorMessage: 'error_message',
} as const;

export const RTT_FIELDS = {
  minMs: 'min_ms',
  avgMs: 'avg_ms',
  maxMs: 'max_ms',
  mdevMs: 'mdev_ms',
  lossPercent: 'loss_percent',
  measurementId: 'measurement_id',
} as const;

/**
 * A resource sample's fields (tags cluster, run, service, node, orchestrator): the
 * sample's figures flattened, `null` ones left out. Counters are cumulative (see
 * libs/contracts/src/samples/resource-sample.dto.ts): differences between samples are costs.
 */
export const RESOURCE_SAMPLE_FIELDS = {
  sampleId: 'sample_id',
  intervalMs: 'interval_ms',
  cpuPercent: 'cpu_percent',
  processes: 'processes',
  cpuUserUs: 'cpu_user_us',
  cpuSystemUs: 'cpu_system_us',
  rssBytes: 'rss_bytes',
  rssAnonBytes: 'rss_anon_bytes',
  heapUsedBytes: 'heap_used_bytes',
  heapTotalBytes: 'heap_total_bytes',
  eventLoopMeanMs: 'event_loop_mean_ms',
  eventLoopP99Ms: 'event_loop_p99_ms',
  eventLoopMaxMs: 'event_loop_max_ms',
  netNamespace: 'net_namespace',
  netRxBytes: 'net_rx_bytes',
  netRxPackets: 'net_rx_packets',
  netTxBytes: 'net_tx_bytes',
  netTxPackets: 'net_tx_packets',
  cgroupVersion: 'cgroup_version',
  cgroupProcesses: 'cgroup_processes',
  cgroupExclusive: 'cgroup_exclusive',
  cgroupCpuUsageNs: 'cgroup_cpu_usage_ns',
  cgroupCpuUserNs: 'cgroup_cpu_user_ns',
  cgroupCpuSystemNs: 'cgroup_cpu_system_ns',
  cgroupThrottledPeriods: 'cgroup_throttled_periods',
  cgroupThrottledNs: 'cgroup_throttled_ns',
  cgroupMemoryBytes: 'cgroup_memory_bytes',
  cgroupMemoryAnonBytes: 'cgroup_memory_anon_bytes',
  cgroupMemoryLimitBytes: 'cgroup_memory_limit_bytes',
} as const;

import {
  ConfigError,
  inTableOrder,
  integerSetting,
  readSettings,
  SharedSettings,
  textSetting,
  type Env,
  type FileReader,
  type SamplingConfig,
} from '@meshmon/service-runtime';
import { DEFAULT_SINK_DURABLE, NODE_NAME_PATTERN } from '@meshmon/contracts';
import {
  DEFAULT_RETENTION_DURATION,
  DEFAULT_RETENTION_POLICY,
  type InfluxCredentials,
} from '@meshmon/influx-store';

/** Everything the result sink needs, read once from its environment at boot. */
export interface SinkConfig extends SamplingConfig {
  readonly cluster: string;
  /** MESHMON_SINK_NAME: the `node` of its events and the `sink` of its stats. */
  readonly name: string;
  readonly natsUrl: string;
  /** MESHMON_NATS_NKEY(_FILE): the service's NATS login; null: none. */
  readonly natsNkey: string | null;
  readonly influx: {
    readonly url: string;
    readonly database: string;
    readonly retentionPolicy: string;
    readonly retentionDuration: string;
    /** From MESHMON_INFLUX_USERNAME and _PASSWORD(_FILE); over any in the URL. */
    readonly credentials?: InfluxCredentials;
  };
  /** Messages fetched, written and acknowledged together. */
  readonly batchSize: number;
  /** Durable consumer name, the same on the results and the events stream. */
  readonly durable: string;
  /** JetStream redelivers a message not acknowledged (nor marked in progress) this long. */
  readonly ackWaitMs: number;
  /** Concurrent InfluxDB requests per batch. */
  readonly writeConcurrency: number;
  /** How long the events stream keeps an event (the sink's buffer through an outage). */
  readonly eventsRetentionHours: number;
}

/** Bad configuration: every problem, each naming the variable and the rule. */
export class SinkConfigError extends ConfigError {
  override readonly name = 'SinkConfigError';
}

/**
 * Measured with `npm run bench:sink` on the idle 2-core machine: 17 700 results/s at 1000,
 * 20 600 at 5000 (for 45 MiB more at the peak). A fetch returns what is there, so a large
 * batch costs no latency when the backlog is small.
 */
export const DEFAULT_BATCH_SIZE = 5000;
export const MAX_BATCH_SIZE = 10_000;

/** The sink's settings: the shared ones (one declaration each) and its own. */
const SINK_SETTINGS = {
  cluster: SharedSettings.CLUSTER,
  name: textSetting('MESHMON_SINK_NAME', {
    default: 'sink',
    pattern: NODE_NAME_PATTERN,
    rule: 'must be letters, digits, _ or -, at most 63',
  }),
  natsUrl: SharedSettings.NATS_URL,
  natsNkey: SharedSettings.NATS_NKEY,
  ...SharedSettings.SAMPLING,
  ...SharedSettings.INFLUX_CONNECTION,
  retentionPolicy: textSetting('MESHMON_INFLUX_RETENTION_POLICY', {
    default: DEFAULT_RETENTION_POLICY,
    ...SharedSettings.INFLUX_NAME,
  }),
  /** InfluxDB 1.x keeps data at least an hour; `INF` keeps it for ever. */
  retentionDuration: textSetting('MESHMON_INFLUX_RETENTION', {
    default: DEFAULT_RETENTION_DURATION,
    pattern: /^(INF|[1-9][0-9]{0,5}[hdw])$/,
    rule: 'must be a whole number of hours, days or weeks (1h, 30d, 4w) or INF',
  }),
  batchSize: integerSetting('MESHMON_SINK_BATCH', {
    default: DEFAULT_BATCH_SIZE,
    min: 1,
    max: MAX_BATCH_SIZE,
  }),
  durable: textSetting('MESHMON_SINK_DURABLE', {
    default: DEFAULT_SINK_DURABLE,
    pattern: /^[A-Za-z0-9_-]{1,64}$/,
    rule: 'must be 1-64 letters, digits, _ or -',
  }),
  ackWaitMs: integerSetting('MESHMON_SINK_ACK_WAIT_MS', {
    default: 30_000,
    min: 1000,
    max: 600_000,
  }),
  writeConcurrency: integerSetting('MESHMON_SINK_WRITE_CONCURRENCY', {
    default: 4,
    min: 1,
    max: 16,
  }),
  /**
   * The events stream's max age: how long an InfluxDB (or sink) outage may last before
   * the oldest events not yet stored give way. Applied when the sink starts, to a stream
   * that exists already too.
   */
  eventsRetentionHours: integerSetting('MESHMON_EVENTS_RETENTION_HOURS', {
    default: 24,
    min: 1,
    max: 24 * 365,
  }),
};

/** Reads and checks the MESHMON_* variables; throws SinkConfigError listing every problem. */
export function loadSinkConfig(env: Env, readFile?: FileReader): SinkConfig {
  const { values, problems } = readSettings(env, SINK_SETTINGS, readFile);
  const { rest, ...influx } = SharedSettings.influxConnection(values);
  const all = inTableOrder(SINK_SETTINGS, [...problems, ...influx.problems]);
  if (all.length > 0) throw new SinkConfigError(all);
  const { retentionPolicy, retentionDuration, ...others } = rest;
  return { ...others, influx: { ...influx.connection, retentionPolicy, retentionDuration } };
}

import { ConfigError } from '@meshmon/service-runtime';
import { DEFAULT_NATS_URL } from '@meshmon/service-runtime';
import { CLUSTER_NAME_PATTERN, NODE_NAME_PATTERN, type Problem } from '@meshmon/contracts';
import {
  DEFAULT_DATABASE,
  DEFAULT_RETENTION_DURATION,
  DEFAULT_RETENTION_POLICY,
  ORCHESTRATORS,
  type Orchestrator,
} from '@meshmon/influx-store';

/** Everything the result sink needs, read once from its environment at boot. */
export interface SinkConfig {
  readonly cluster: string;
  /** MESHMON_SINK_NAME: the `node` of its events and the `sink` of its stats. */
  readonly name: string;
  readonly natsUrl: string;
  readonly influx: {
    readonly url: string;
    readonly database: string;
    readonly retentionPolicy: string;
    readonly retentionDuration: string;
  };
  readonly orchestrator: Orchestrator;
  /** Messages fetched, written and acknowledged together. */
  readonly batchSize: number;
  /** Durable consumer name, the same on the results and the events stream. */
  readonly durable: string;
  /** JetStream redelivers a message not acknowledged (nor marked in progress) this long. */
  readonly ackWaitMs: number;
  /** Concurrent InfluxDB requests per batch. */
  readonly writeConcurrency: number;
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

/** InfluxDB's own names would allow more; these are safe unquoted in InfluxQL too. */
const INFLUX_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** InfluxDB 1.x keeps data at least an hour; `INF` keeps it for ever. */
const DURATION = /^(INF|[1-9][0-9]{0,5}[hdw])$/;
const CONSUMER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const INTEGER = /^[0-9]+$/;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the MESHMON_* variables; throws SinkConfigError listing every problem. */
export function loadSinkConfig(env: Env): SinkConfig {
  const problems: Problem[] = [];
  const read = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  };
  const matching = (name: string, fallback: string, pattern: RegExp, rule: string): string => {
    const value = read(name, fallback);
    if (!pattern.test(value)) problems.push({ field: name, rule: `${rule} (got "${value}")` });
    return value;
  };
  const url = (name: string, fallback: string, schemes: readonly string[]): string => {
    const value = read(name, fallback);
    if (!URL.canParse(value) || !schemes.includes(new URL(value).protocol)) {
      const rule = `must be a URL with scheme ${schemes.join(' or ')} (got "${value}")`;
      problems.push({ field: name, rule });
    }
    return value;
  };

  const cluster = matching(
    'MESHMON_CLUSTER',
    'meshmon',
    CLUSTER_NAME_PATTERN,
    'must be lower-case letters, digits or -, at most 32',
  );
  const name = matching(
    'MESHMON_SINK_NAME',
    'sink',
    NODE_NAME_PATTERN,
    'must be letters, digits, _ or -, at most 63',
  );
  const natsUrl = url('MESHMON_NATS_URL', DEFAULT_NATS_URL, ['nats:', 'tls:']);
  const influxUrl = url('MESHMON_INFLUX_URL', 'http://127.0.0.1:8086', ['http:', 'https:']);
  const nameRule = 'must be a letter or _ then letters, digits or _, at most 64';
  const database = matching('MESHMON_INFLUX_DATABASE', DEFAULT_DATABASE, INFLUX_NAME, nameRule);
  const retentionPolicy = matching(
    'MESHMON_INFLUX_RETENTION_POLICY',
    DEFAULT_RETENTION_POLICY,
    INFLUX_NAME,
    nameRule,
  );
  const retentionDuration = matching(
    'MESHMON_INFLUX_RETENTION',
    DEFAULT_RETENTION_DURATION,
    DURATION,
    'must be a whole number of hours, days or weeks (1h, 30d, 4w) or INF',
  );
  const orchestrator = read('MESHMON_ORCHESTRATOR', 'none');
  if (!(ORCHESTRATORS as readonly string[]).includes(orchestrator)) {
    problems.push({
      field: 'MESHMON_ORCHESTRATOR',
      rule: `must be one of ${ORCHESTRATORS.join(', ')} (got "${orchestrator}")`,
    });
  }
  const durable = matching(
    'MESHMON_SINK_DURABLE',
    'result-sink',
    CONSUMER_NAME,
    'must be 1-64 letters, digits, _ or -',
  );

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name, String(fallback));
    const value = Number(raw);
    if (INTEGER.test(raw) && value >= min && value <= max) return value;
    problems.push({ field: name, rule: `must be an integer in ${min}..${max} (got "${raw}")` });
    return fallback;
  };
  const batchSize = integer('MESHMON_SINK_BATCH', DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE);
  const ackWaitMs = integer('MESHMON_SINK_ACK_WAIT_MS', 30_000, 1000, 600_000);
  const writeConcurrency = integer('MESHMON_SINK_WRITE_CONCURRENCY', 4, 1, 16);

  if (problems.length > 0) throw new SinkConfigError(problems);
  return {
    cluster,
    name,
    natsUrl,
    influx: { url: influxUrl, database, retentionPolicy, retentionDuration },
    orchestrator: orchestrator as Orchestrator,
    batchSize,
    durable,
    ackWaitMs,
    writeConcurrency,
  };
}

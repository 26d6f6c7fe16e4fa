import { FieldType, InfluxDB, type IPoolOptions, type ISchemaOptions } from 'influx';
import { influxEndpoint, type InfluxCredentials } from './influx-endpoint.js';

type BackoffStrategy = NonNullable<IPoolOptions['backoff']>;
import type { TimedPoint } from './result-points.js';
import { MEASUREMENTS, RTT_FIELDS, TAGS, THROUGHPUT_FIELDS } from './schema.js';

export interface InfluxStoreOptions {
  /** `http://[user:pass@]host[:port]` of an InfluxDB 1.x (see influxEndpoint). */
  readonly url: string;
  /** Over any in the URL, e.g. read from *_FILE settings. */
  readonly credentials?: InfluxCredentials;
  readonly database: string;
  readonly retentionPolicy: string;
  /** InfluxQL duration of the policy, e.g. `30d`, or `INF`. */
  readonly retentionDuration: string;
  /** One HTTP request's bound; a slow InfluxDB counts as down after it. */
  readonly requestTimeoutMs?: number;
}

export type InfluxFailureKind = 'unavailable' | 'database-missing' | 'rejected';

/**
 * A failed InfluxDB call. `unavailable` (network, timeout, 5xx) is worth retrying as is;
 * `database-missing` after creating the database again; `rejected` (another 4xx) never:
 * the same points would be refused again.
 */
export class InfluxStoreError extends Error {
  override readonly name = 'InfluxStoreError';

  constructor(
    readonly kind: InfluxFailureKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * node-influx disables a failing host for its backoff delay and then fails every call at
 * once with "No host available" (it has only our one host). A delay of 0 keeps the host
 * enabled, so each call reaches InfluxDB and reports the real cause; retrying is ours.
 */
const NEVER_DISABLE: BackoffStrategy = {
  getDelay: () => 0,
  next: () => NEVER_DISABLE,
  reset: () => NEVER_DISABLE,
};

const f = FieldType;
/** Typed fields (integers stay integers); node-influx refuses a field not listed here. */
const RESULT_SCHEMA = (database: string): ISchemaOptions[] => {
  const tags = [TAGS.cluster, TAGS.monitor, TAGS.sensor, TAGS.tool, TAGS.orchestrator, TAGS.ok];
  const t = THROUGHPUT_FIELDS;
  const r = RTT_FIELDS;
  return [
    {
      database,
      measurement: MEASUREMENTS.throughput,
      tags,
      fields: {
        [t.bitsPerSecond]: f.FLOAT,
        [t.bytes]: f.INTEGER,
        [t.retransmits]: f.INTEGER,
        [t.jitterMs]: f.FLOAT,
        [t.lostPercent]: f.FLOAT,
        [t.cpuClientPercent]: f.FLOAT,
        [t.cpuServerPercent]: f.FLOAT,
        [t.durationMs]: f.FLOAT,
        [t.fencingToken]: f.INTEGER,
        [t.measurementId]: f.STRING,
        [t.algorithm]: f.STRING,
        [t.errorCode]: f.STRING,
        [t.errorMessage]: f.STRING,
      },
    },
    {
      database,
      measurement: MEASUREMENTS.rtt,
      tags,
      fields: {
        [r.minMs]: f.FLOAT,
        [r.avgMs]: f.FLOAT,
        [r.maxMs]: f.FLOAT,
        [r.mdevMs]: f.FLOAT,
        [r.lossPercent]: f.FLOAT,
        [r.measurementId]: f.STRING,
      },
    },
  ];
};

interface HttpFailure {
  res?: { statusCode?: number };
  code?: string;
}

/** InfluxDB refused a statement because the login is not an admin (HTTP 403). */
function requiresAdmin(error: unknown): boolean {
  const status = (error as HttpFailure | null)?.res?.statusCode;
  const why = error instanceof Error ? error.message : String(error);
  return status === 403 || /requires admin privilege/i.test(why);
}

function classify(error: unknown, action: string): InfluxStoreError {
  const status = (error as HttpFailure | null)?.res?.statusCode;
  const why = error instanceof Error ? error.message : String(error);
  const message = `InfluxDB ${action}: ${why || (error as HttpFailure | null)?.code || 'failed'}`;
  if (/database not found|retention policy not found/i.test(why)) {
    return new InfluxStoreError('database-missing', message, { cause: error });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new InfluxStoreError('rejected', message, { cause: error });
  }
  return new InfluxStoreError('unavailable', message, { cause: error });
}

/**
 * Meshmon's InfluxDB 1.x: creates the database and the default retention policy, and
 * writes points in batches with nanosecond precision. Every call makes one attempt and
 * throws an InfluxStoreError saying whether a retry can help; the caller owns retries.
 */
export class InfluxStore {
  private readonly client: InfluxDB;
  /** Set once the database and policy were made; cleared when a write finds them gone. */
  private databaseReady = false;
  /** The login may not create the database: an admin provisions it (see ensureDatabase). */
  provisioned = false;

  constructor(readonly options: InfluxStoreOptions) {
    const { username, password, ...host } = influxEndpoint(options.url, options.credentials);
    this.client = new InfluxDB({
      hosts: [host],
      username,
      password,
      database: options.database,
      schema: RESULT_SCHEMA(options.database),
      pool: {
        maxRetries: 0,
        requestTimeout: options.requestTimeoutMs ?? 10_000,
        backoff: NEVER_DISABLE,
      },
    });
  }

  /**
   * Creates the database (a no-op when it exists) and makes the policy exist with the
   * configured duration as the default, so points written without one land there too.
   * A login that may only write (the least a sink needs) may not create either: then an
   * admin has provisioned both, and the writes say whether they are there.
   */
  async ensureDatabase(): Promise<void> {
    const { database, retentionPolicy, retentionDuration } = this.options;
    const policy = { database, duration: retentionDuration, replication: 1, isDefault: true };
    try {
      try {
        await this.client.createDatabase(database);
      } catch (error) {
        if (!requiresAdmin(error)) throw error;
        this.provisioned = true;
        this.databaseReady = true;
        return;
      }
      const existing = await this.client.showRetentionPolicies(database);
      if (existing.some((rp) => rp.name === retentionPolicy)) {
        await this.client.alterRetentionPolicy(retentionPolicy, policy);
      } else {
        await this.client.createRetentionPolicy(retentionPolicy, policy);
      }
      this.databaseReady = true;
    } catch (error) {
      // Never `rejected` here: a refused CREATE (auth, say) is fixed by the operator, and
      // the sink must keep the points and retry rather than dead-letter them.
      const failure = classify(error, `create database ${database}`);
      throw new InfluxStoreError('unavailable', failure.message, { cause: error });
    }
  }

  /**
   * Writes the points in one request; resolves once InfluxDB has accepted them. The first
   * write (and the first after the database went missing) makes the database first, so a
   * sink that started while InfluxDB was down needs nothing else when it comes back.
   */
  async write(points: readonly TimedPoint[]): Promise<void> {
    if (points.length === 0) return;
    if (!this.databaseReady) await this.ensureDatabase();
    try {
      await this.client.writePoints(points as TimedPoint[], {
        precision: 'n',
        retentionPolicy: this.options.retentionPolicy,
      });
    } catch (error) {
      const failure = classify(
        error,
        `write ${points.length} point(s) to ${this.options.database}`,
      );
      if (failure.kind === 'database-missing') this.databaseReady = false;
      throw failure;
    }
  }

  /** True when InfluxDB answers its ping within the timeout. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    const [host] = await this.client.ping(timeoutMs);
    return host?.online === true;
  }
}

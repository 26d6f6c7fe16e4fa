/**
 * The comparison's own records in InfluxDB, beside the samples the suite's sinks store
 * there: one `compare_runs` point per run (scenario, machine, orchestrators) and one
 * `compare_windows` point per window. With the samples, they are all a report needs, so
 * `--report-only --run <id>` rebuilds it from the database alone.
 */
import { InfluxDB } from 'influx';
import {
  DEFAULT_RETENTION_DURATION,
  DEFAULT_RETENTION_POLICY,
  influxEndpoint,
  MEASUREMENTS,
  RESOURCE_SAMPLE_FIELDS as F,
  TAGS,
  THROUGHPUT_FIELDS,
} from '@meshmon/influx-store';
import type { MachineFacts, OrchestratorStatus } from './report-types.js';
import type { Scenario } from './scenario.js';
import type { MeasuredWindow, ProbeRow, SampleRow } from './window-values.js';

export const COMPARE_DATABASE = 'meshmon_compare';
const RUNS = 'compare_runs';
const WINDOWS = 'compare_windows';

/** What a run recorded about itself at its start (and again when an orchestrator is skipped). */
export interface RunRecord {
  readonly run: string;
  readonly startedAtMs: number;
  readonly scenario: Scenario;
  readonly machine: MachineFacts;
  readonly orchestrators: readonly OrchestratorStatus[];
}

/** No run of that id in the database: the message says where it looked. */
export class UnknownRunError extends Error {
  override readonly name = 'UnknownRunError';
}

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ns = (ms: number): string => `${Math.round(ms)}000000`;

export class CompareStore {
  private readonly client: InfluxDB;

  constructor(
    readonly url: string,
    readonly database = COMPARE_DATABASE,
    /** Over any in the URL: the login of the servers the comparison uses. */
    credentials?: { readonly username: string; readonly password: string },
  ) {
    this.client = new InfluxDB({ ...influxEndpoint(url, credentials), database });
  }

  /**
   * The database with the sinks' default retention policy (30 days), made before the
   * first write: a point written into another policy is invisible to the default one.
   */
  async ensureDatabase(): Promise<void> {
    await this.client.createDatabase(this.database);
    const policies = await this.client.showRetentionPolicies(this.database);
    if (!policies.some((policy) => policy.name === DEFAULT_RETENTION_POLICY)) {
      await this.client.createRetentionPolicy(DEFAULT_RETENTION_POLICY, {
        database: this.database,
        duration: DEFAULT_RETENTION_DURATION,
        replication: 1,
        isDefault: true,
      });
    }
  }

  /** Written again whenever it changes; the latest point (same timestamp) wins. */
  async saveRun(record: RunRecord): Promise<void> {
    await this.client.writePoints(
      [
        {
          measurement: RUNS,
          tags: { run: record.run },
          fields: {
            scenario: JSON.stringify(record.scenario),
            machine: JSON.stringify(record.machine),
            orchestrators: JSON.stringify(record.orchestrators),
          },
          timestamp: ns(record.startedAtMs),
        },
      ],
      { precision: 'n' },
    );
  }

  async saveWindow(run: string, window: MeasuredWindow): Promise<void> {
    await this.client.writePoints(
      [
        {
          measurement: WINDOWS,
          tags: { run, orchestrator: window.orchestrator },
          fields: {
            block: window.block,
            index: window.index,
            start_ms: window.startMs,
            end_ms: window.endMs,
          },
          timestamp: ns(window.startMs),
        },
      ],
      { precision: 'n' },
    );
  }

  async loadRun(run: string): Promise<RunRecord> {
    const rows = await this.client.query<{
      time: Date;
      scenario: string;
      machine: string;
      orchestrators: string;
    }>(`SELECT * FROM ${RUNS} WHERE "run" = ${quote(run)}`);
    const row = rows[rows.length - 1];
    if (!row) {
      throw new UnknownRunError(
        `no comparison run "${run}" in ${this.database} at ${this.url}: list them with ` +
          `influx -database ${this.database} -execute 'SHOW TAG VALUES FROM ${RUNS} WITH KEY = "run"'`,
      );
    }
    return {
      run,
      startedAtMs: row.time.getTime(),
      scenario: JSON.parse(row.scenario) as Scenario,
      machine: JSON.parse(row.machine) as MachineFacts,
      orchestrators: JSON.parse(row.orchestrators) as OrchestratorStatus[],
    };
  }

  async loadWindows(run: string): Promise<MeasuredWindow[]> {
    const rows = await this.client.query<{
      orchestrator: string;
      block: number;
      index: number;
      start_ms: number;
      end_ms: number;
    }>(`SELECT * FROM ${WINDOWS} WHERE "run" = ${quote(run)}`);
    return rows.map((row) => ({
      orchestrator: row.orchestrator,
      block: row.block,
      index: row.index,
      startMs: row.start_ms,
      endMs: row.end_ms,
    }));
  }

  /**
   * Every good TCP probe of the run's blocks (clusters `<run>-b<n>`): when and between whom
   * it ran and the bytes it moved, for the traffic's lower bound. TCP only: a UDP probe's
   * bytes may be the sender's count, more than a lossy path delivered to the sensor.
   */
  async loadProbes(run: string): Promise<ProbeRow[]> {
    const blocks = `/^${run.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}-b[0-9]+$/`;
    const rows = await this.client.query<Record<string, unknown> & { time: Date }>(
      `SELECT "${THROUGHPUT_FIELDS.bytes}", "${THROUGHPUT_FIELDS.durationMs}", "${TAGS.monitor}", "${TAGS.sensor}", "${TAGS.orchestrator}" FROM ${MEASUREMENTS.throughput} WHERE "${TAGS.cluster}" =~ ${blocks} AND "${TAGS.ok}" = 'true' AND "${TAGS.tool}" = 'iperf3-tcp'`,
    );
    return rows.flatMap((row) => {
      const bytes = row[THROUGHPUT_FIELDS.bytes];
      const duration = row[THROUGHPUT_FIELDS.durationMs];
      if (typeof bytes !== 'number' || typeof duration !== 'number') return [];
      const startMs = row.time.getTime();
      return [
        {
          orchestrator: String(row[TAGS.orchestrator]),
          monitor: String(row[TAGS.monitor]),
          sensor: String(row[TAGS.sensor]),
          startMs,
          endMs: startMs + duration,
          bytes,
        },
      ];
    });
  }

  /** Every resource sample of the run, whichever block's cluster stored it. */
  async loadSamples(run: string): Promise<SampleRow[]> {
    const rows = await this.client.query<Record<string, unknown> & { time: Date }>(
      `SELECT * FROM ${MEASUREMENTS.resources} WHERE "run" = ${quote(run)}`,
    );
    const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
    return rows.map((row) => {
      const rx = num(row[F.netRxBytes]);
      const tx = num(row[F.netTxBytes]);
      return {
        atMs: row.time.getTime(),
        orchestrator: String(row.orchestrator),
        service: String(row.service),
        node: String(row.node),
        cpuUs: (num(row[F.cpuUserUs]) ?? 0) + (num(row[F.cpuSystemUs]) ?? 0),
        rssBytes: num(row[F.rssBytes]) ?? 0,
        rssAnonBytes: num(row[F.rssAnonBytes]),
        eventLoopP99Ms: num(row[F.eventLoopP99Ms]),
        netNamespace: num(row[F.netNamespace]),
        netBytes: rx === null || tx === null ? null : rx + tx,
        cgroupExclusive:
          typeof row[F.cgroupExclusive] === 'boolean' ? (row[F.cgroupExclusive] as boolean) : null,
        cgroupCpuNs: num(row[F.cgroupCpuUsageNs]),
        cgroupMemoryAnonBytes: num(row[F.cgroupMemoryAnonBytes]),
        cgroupMemoryLimitBytes: num(row[F.cgroupMemoryLimitBytes]),
      };
    });
  }
}

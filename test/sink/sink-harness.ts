/**
 * Shared by the sink's integration tests and `npm run bench:sink`: the sink as a child
 * process, counting points in InfluxDB, publishing into JetStream, polling with a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { InfluxDB } from 'influx';
import type { Subjects } from '@meshmon/contracts';
import { encodeResult, sampleResult } from './sink-fixtures.js';
import {
  developerInfluxLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';
import { influxEndpoint } from '@meshmon/influx-store';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const NATS_URL = process.env.MESHMON_NATS_URL ?? 'nats://127.0.0.1:4222';
export const INFLUX_URL = process.env.MESHMON_INFLUX_URL ?? 'http://127.0.0.1:8086';

/** A short unique suffix for cluster, database and consumer names of one run. */
export const uniqueSuffix = (): string =>
  `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

export { pollUntil } from '../support/poll-until.js';

/** Points of a measurement (optionally WHERE ...); throws while the database does not exist. */
export async function countPoints(
  influxUrl: string,
  database: string,
  measurement: string,
  field = 'measurement_id',
  where = '',
): Promise<number> {
  const client = new InfluxDB({ ...influxEndpoint(influxUrl, developerInfluxLogin()), database });
  const rows = await client.query<{ count: number }>(
    `SELECT COUNT("${field}") AS count FROM "${measurement}"${where ? ` WHERE ${where}` : ''}`,
  );
  return rows[0]?.count ?? 0;
}

export async function dropDatabase(influxUrl: string, database: string): Promise<void> {
  await new InfluxDB(influxEndpoint(influxUrl, developerInfluxLogin())).dropDatabase(database);
}

/** Publishes sample results `from`..`to - 1` with bounded concurrency (message id = measurement id). */
export async function publishResults(
  connection: NatsConnection,
  subjects: Subjects,
  from: number,
  to: number,
  inFlight = 500,
): Promise<void> {
  const js = jetstream(connection);
  for (let start = from; start < to; start += inFlight) {
    const sends: Promise<unknown>[] = [];
    for (let n = start; n < Math.min(to, start + inFlight); n += 1) {
      const result = sampleResult(subjects.cluster, n);
      sends.push(
        js.publish(subjects.result(result.monitor, result.sensor), encodeResult(result), {
          msgID: result.measurementId,
          timeout: 30_000,
        }),
      );
    }
    await Promise.all(sends);
  }
}

export async function deleteStreams(connection: NatsConnection, names: string[]): Promise<void> {
  const manager = await jetstreamManager(connection);
  for (const name of names) {
    await manager.streams.delete(name).catch((error: unknown) => {
      if (!String(error).includes('not found')) throw error;
    });
  }
}

export interface SinkProcess {
  readonly child: ChildProcess;
  /** Everything it wrote, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or signal name) once it ended. */
  readonly exited: Promise<number | string>;
}

/**
 * The sink as a child process with this environment (on top of PATH and HOME only): the
 * compiled one under `node` when `built`, else the sources under tsx.
 */
export function spawnSink(
  env: Record<string, string>,
  built = false,
  nodeArgs: readonly string[] = [],
): SinkProcess {
  const args = built
    ? [...nodeArgs, 'dist/apps/result-sink/src/main.js']
    : [...nodeArgs, '--import', 'tsx', 'apps/result-sink/src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: repo,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...serviceLoginEnv('result-sink'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => output, exited };
}

/** Sends the signal and waits (bounded) for the exit; SIGKILL when it overstays. */
export async function stopSink(
  sink: SinkProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | string> {
  if (sink.child.exitCode !== null || sink.child.signalCode !== null) return sink.exited;
  sink.child.kill(signal);
  const timer = setTimeout(() => sink.child.kill('SIGKILL'), 20_000);
  try {
    return await sink.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Peak resident memory of a live process in MiB (Linux VmHWM), or NaN if unknown. */
export function peakRssMiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return kb / 1024;
  } catch (_gone) {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a live process has used so far, or NaN if unknown. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch (_gone) {
    return Number.NaN;
  }
}

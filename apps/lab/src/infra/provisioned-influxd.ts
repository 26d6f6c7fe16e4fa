import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Credentials } from '@meshmon/service-runtime';

/**
 * An InfluxDB of one's own, started by the deployments' own entrypoint
 * (swarm/influxdb-provision.sh) as a container runs it: authentication on, an admin, the
 * suite's database and a writer and a reader made from the credentials' passwords. For
 * what may stop InfluxDB (the fault suite, its tests) without touching infra/local's.
 */
export class ProvisionedInfluxd {
  /** What the entrypoint and influxd printed, this start and every earlier one. */
  output = '';
  private child: ChildProcess | null = null;

  constructor(
    readonly options: {
      readonly repo: string;
      /** Its data (meta, data, wal) go under it. */
      readonly folder: string;
      /** The passwords, as a container has them (see influxSecretsFolder). */
      readonly secrets: string;
      readonly port: number;
      readonly rpcPort: number;
      readonly database: string;
    },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the entrypoint; resolves once it has provisioned InfluxDB, rejects (with its
   * output) when it exits first or takes longer than `timeoutMs`.
   */
  async start(timeoutMs = 60_000): Promise<void> {
    const { repo, folder, secrets, port, rpcPort, database } = this.options;
    const child = spawn('sh', [join(repo, 'swarm/influxdb-provision.sh')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/bin`,
        MESHMON_SECRETS_DIR: secrets,
        MESHMON_INFLUX_DATABASE: database,
        INFLUXDB_HTTP_BIND_ADDRESS: `127.0.0.1:${port}`,
        INFLUXDB_BIND_ADDRESS: `127.0.0.1:${rpcPort}`,
        INFLUXDB_META_DIR: join(folder, 'meta'),
        INFLUXDB_DATA_DIR: join(folder, 'data'),
        INFLUXDB_DATA_WAL_DIR: join(folder, 'wal'),
        INFLUXDB_REPORTING_DISABLED: 'true',
        INFLUXDB_MONITOR_STORE_ENABLED: 'false',
        INFLUXDB_LOGGING_LEVEL: 'warn',
      },
    });
    this.child = child;
    const collect = (chunk: Buffer) => (this.output += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const from = this.output.length;
    const deadline = Date.now() + timeoutMs;
    while (!this.output.slice(from).includes('influxdb-provision: ready')) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `InfluxDB's entrypoint exited (${child.exitCode}): ${this.output.slice(from)}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `InfluxDB was not provisioned within ${timeoutMs / 1000} s: ${this.output.slice(from)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A stop signal, as an orchestrator sends it; resolves with the entrypoint's exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (child === null) return null;
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(hard);
    return code;
  }
}

/**
 * The InfluxDB passwords of `credentials` as a container has them: one file per password
 * under the names the entrypoint reads (Swarm's secret names), in `folder` (made 0700).
 */
export function influxSecretsFolder(folder: string, credentials: Credentials): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const { influxAdmin, influxWriter, influxReader } = credentials;
  for (const [name, login] of [
    ['admin', influxAdmin],
    ['writer', influxWriter],
    ['reader', influxReader],
  ] as const) {
    writeFileSync(join(folder, `meshmon-influx-${name}-password`), `${login.password}\n`, {
      mode: 0o600,
    });
  }
  return folder;
}

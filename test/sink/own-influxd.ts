/**
 * A private InfluxDB 1.x for tests that must stop it (the shared one on 8086 belongs to
 * everyone): free ports, a temporary directory, the same settings as infra/local/start.sh.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from './sink-harness.js';

export class OwnInfluxd {
  private process: ChildProcess | null = null;
  private log = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly config: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `auth`: authentication on (the first user must be an admin, made without a login). */
  static async create(options: { auth?: boolean } = {}): Promise<OwnInfluxd> {
    const dir = mkdtempSync(join(tmpdir(), 'meshmon-influxd-'));
    const port = await freePort();
    const rpcPort = await freePort();
    const config = join(dir, 'influxdb.conf');
    writeFileSync(
      config,
      `reporting-enabled = false
reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
  auth-enabled = ${options.auth === true}
[logging]
  suppress-logo = true
  level = "warn"
`,
    );
    return new OwnInfluxd(dir, port, config);
  }

  /** Starts it (again, on the same directory) and waits until /ping answers. */
  async start(): Promise<void> {
    const child = spawn('influxd', ['run', '-config', this.config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/bin` },
    });
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.process = child;
    await pollUntil(
      `influxd on ${this.url} (${this.log.slice(-500)})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`influxd exited: ${this.log.slice(-500)}`);
        const response = await fetch(`${this.url}/ping`);
        return response.status === 204 ? true : undefined;
      },
      20_000,
      100,
    );
  }

  /** SIGTERM and wait for the exit (SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Debian's Prometheus, started by a test against targets of its own choosing: a
 * temporary data directory, a free port on 127.0.0.1, scraping every second. Queried
 * through its HTTP API, as an operator's dashboards and alerts would query it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { pollUntil } from './poll-until.js';

/** One series of an instant query: its labels and its value. */
export interface PromSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export class OwnPrometheus {
  private log = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {
    const collect = (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-4000));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  /** Starts it scraping `targets` (host:port) at `metricsPath` as job `job`; waits until ready. */
  static async start(options: {
    job: string;
    targets: readonly string[];
    metricsPath?: string;
  }): Promise<OwnPrometheus> {
    const dir = mkdtempSync(join(tmpdir(), 'meshmon-prometheus-'));
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      JSON.stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        scrape_configs: [
          {
            job_name: options.job,
            metrics_path: options.metricsPath ?? '/metrics',
            static_configs: [{ targets: options.targets }],
          },
        ],
      }),
    );
    const child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const prometheus = new OwnPrometheus(child, dir, `http://127.0.0.1:${port}`);
    await pollUntil(
      'Prometheus to be ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${prometheus.log}`);
        const response = await fetch(`${prometheus.url}/-/ready`).catch(() => null);
        return response?.ok ? true : undefined;
      },
      30_000,
      200,
    );
    return prometheus;
  }

  /** An instant query through the HTTP API. */
  async query(expression: string): Promise<PromSample[]> {
    const response = await fetch(
      `${this.url}/api/v1/query?query=${encodeURIComponent(expression)}`,
      { signal: AbortSignal.timeout(5000) },
    );
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`query ${expression}: ${body.error}`);
    return (body.data?.result ?? []).map((series) => ({
      labels: series.metric,
      value: Number(series.value[1]),
    }));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Gateway benchmark: boots the gateway as its own process, makes it know 32 nodes (a
// service-started event from each and a result for each of the 992 ordered pairs, on NATS
// for a fresh cluster), then a second process on loopback sends GET /api/v1/pairs at a
// fixed rate (open loop: request i leaves at start + i / rate whatever the answers do, and
// its latency counts from then, so a stall is not hidden). Prints latency percentiles,
// the achieved rate, errors, and the gateway's CPU and resident memory. Target p99 < 20 ms.
// Usage: npm run bench:gateway -- [--rate 500] [--seconds 30] [--nodes 32] [--runner tsx|built]
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { encodeMeasurementResult, encodeSchedulerEventMessage, Subjects } from '@meshmon/contracts';
import { pollUntil } from '../test/support/poll-until.js';
import { goodResult } from '../test/support/sample-results.js';
import { ProcessSampler } from './bench/process-sampler.js';
import {
  developerNatsLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

interface LoadReport {
  readonly sent: number;
  readonly ok: number;
  readonly errors: number;
  /** Error kinds (HTTP status or socket error code) and how often each happened. */
  readonly errorKinds: Record<string, number>;
  readonly seconds: number;
  readonly latenciesMs: { p50: number; p90: number; p99: number; max: number };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The load process: open-loop GETs at `rate` per second for `seconds`; JSON report on stdout. */
async function generateLoad(url: string, rate: number, seconds: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const failed = (kind: string): void => {
    errors += 1;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  let finished = 0;
  let sent = 0;
  const start = performance.now() + 100;
  const done = new Promise<void>((resolve) => {
    const fire = (due: number): void => {
      const headers = { authorization: `Bearer ${process.env.MESHMON_BENCH_TOKEN ?? ''}` };
      const req = request(url, { agent, method: 'GET', headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - due);
          else failed(`HTTP ${res.statusCode}`);
          if ((finished += 1) === total) resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        failed(error.code ?? error.message);
        if ((finished += 1) === total) resolve();
      });
      req.end();
    };
    // A 1 ms tick sends every request that is due: the schedule never waits for answers.
    const timer = setInterval(() => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        fire(start + (sent * 1000) / rate);
        sent += 1;
      }
      if (sent >= total) clearInterval(timer);
    }, 1);
  });
  await done;
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const report: LoadReport = {
    sent,
    ok: latencies.length,
    errors,
    errorKinds,
    seconds: elapsed,
    latenciesMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
    },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  agent.destroy();
}

const availableCores = (): number => cpus().length;

/** Runs a child to completion (bounded), collecting stdout. */
function runChild(child: ChildProcess, timeoutMs: number): Promise<string> {
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load generator did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`load generator exited with ${code}`));
    });
  });
}

/** This run's API token: the gateway requires one, the load process gets it by environment. */
const TOKEN = randomBytes(16).toString('hex');
const authorised = { headers: { authorization: `Bearer ${TOKEN}` } };

function startGateway(runner: string, cluster: string, port: number): ChildProcess {
  const built = `${repo}dist/apps/gateway/src/main.js`;
  if (runner === 'built' && !existsSync(built)) {
    throw new Error('no build: run npm run build first, or use --runner tsx');
  }
  const args =
    runner === 'built' ? [built] : ['--import', 'tsx', `${repo}apps/gateway/src/main.ts`];
  return spawn(process.execPath, args, {
    cwd: repo,
    env: {
      ...process.env,
      MESHMON_CLUSTER: cluster,
      MESHMON_GATEWAY_HOST: '127.0.0.1',
      MESHMON_GATEWAY_PORT: String(port),
      MESHMON_GATEWAY_TOKEN: TOKEN,
      ...serviceLoginEnv('gateway'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function main(): Promise<void> {
  const rate = Number(flag('--rate', '500'));
  const seconds = Number(flag('--seconds', '30'));
  const nodeCount = Number(flag('--nodes', '32'));
  const runner = flag('--runner', 'tsx');
  if (
    !(rate > 0 && rate <= 20_000) ||
    !(seconds > 0 && seconds <= 600) ||
    !(nodeCount >= 2 && nodeCount <= 256) ||
    !['tsx', 'built'].includes(runner)
  ) {
    console.error(
      'bench:gateway: --rate 1..20000, --seconds 1..600, --nodes 2..256, --runner tsx|built',
    );
    process.exit(2);
  }
  const cluster = `bench-gw-${randomBytes(3).toString('hex')}`;
  const subjects = new Subjects(cluster);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const gateway = startGateway(runner, cluster, port);
  gateway.stderr?.on('data', (chunk: Buffer) => {
    if (/ERROR/.test(chunk.toString())) process.stderr.write(chunk);
  });
  const stopGateway = async (): Promise<void> => {
    if (gateway.exitCode !== null) return;
    gateway.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        gateway.kill('SIGKILL');
        resolve(undefined);
      }, 10_000);
      gateway.once('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  };
  const nats = await connect({
    servers: process.env.MESHMON_NATS_URL ?? 'nats://127.0.0.1:4222',
    ...developerNatsLogin(),
  });
  try {
    await pollUntil(
      'the gateway to listen',
      async () => ((await fetch(`${base}/health/live`)).ok ? true : undefined),
      60_000,
    );
    const nodes = Array.from(
      { length: nodeCount },
      (_, index) => `bench-n${String(index).padStart(2, '0')}`,
    );
    const now = Date.now();
    for (const node of nodes) {
      const event = { type: 'service-started' as const };
      nats.publish(
        subjects.event('service-started'),
        encodeSchedulerEventMessage({ v: 1, cluster, node, service: 'monitor', atMs: now, event }),
      );
    }
    let pairCount = 0;
    for (const monitor of nodes) {
      for (const sensor of nodes) {
        if (monitor === sensor) continue;
        nats.publish(
          subjects.result(monitor, sensor),
          encodeMeasurementResult(
            goodResult(cluster, monitor, sensor, now - pairCount, 9e8 + Math.random() * 1e8),
          ),
        );
        pairCount += 1;
      }
    }
    await nats.flush();
    await pollUntil(
      `${nodeCount} nodes and ${pairCount} measured pairs`,
      async () => {
        const nodesJson = (await (await fetch(`${base}/api/v1/nodes`, authorised)).json()) as {
          nodes: unknown[];
        };
        const pairsJson = (await (await fetch(`${base}/api/v1/pairs`, authorised)).json()) as {
          pairs: { count: number }[];
        };
        const measured = pairsJson.pairs.filter((pair) => pair.count > 0).length;
        return nodesJson.nodes.length === nodeCount && measured === pairCount ? true : undefined;
      },
      30_000,
    );
    const bodyBytes = (await (await fetch(`${base}/api/v1/pairs`, authorised)).text()).length;

    const sampler = new ProcessSampler(() => [{ key: 'gateway', pid: gateway.pid! }]);
    sampler.tick();
    const sampling = setInterval(() => sampler.tick(), 500);
    const load = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--load',
        `${base}/api/v1/pairs`,
        String(rate),
        String(seconds),
      ],
      {
        cwd: repo,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, MESHMON_BENCH_TOKEN: TOKEN },
      },
    );
    const out = await runChild(load, (seconds + 60) * 1000);
    clearInterval(sampling);
    sampler.tick();
    const report = JSON.parse(out.trim().split('\n').at(-1)!) as LoadReport;
    const figures = sampler.figures().find((figure) => figure.key === 'gateway');
    const ms = (value: number): string => `${value.toFixed(2)} ms`;
    console.log(
      `gateway benchmark: GET /api/v1/pairs, ${nodeCount} nodes (${pairCount} pairs, ${(bodyBytes / 1024).toFixed(0)} KiB), runner ${runner}`,
    );
    console.log(`  target rate      ${rate}/s for ${seconds} s (open loop)`);
    console.log(
      `  achieved rate    ${(report.ok / report.seconds).toFixed(1)}/s (${report.ok} ok of ${report.sent} sent)`,
    );
    const kinds = Object.entries(report.errorKinds).map(([kind, count]) => `${kind}: ${count}`);
    console.log(
      `  errors           ${report.errors}${kinds.length ? ` (${kinds.join(', ')})` : ''}`,
    );
    console.log(
      `  latency          p50 ${ms(report.latenciesMs.p50)}  p90 ${ms(report.latenciesMs.p90)}  p99 ${ms(report.latenciesMs.p99)}  max ${ms(report.latenciesMs.max)}`,
    );
    console.log(
      `  gateway CPU      ${figures ? figures.cpuPercent.toFixed(1) : '?'} % of one core`,
    );
    console.log(
      `  gateway RSS      ${figures ? (figures.maxRssBytes / 2 ** 20).toFixed(0) : '?'} MiB (max)`,
    );
    // Other work on the machine shows in the tail: say how busy it was.
    console.log(
      `  machine load     ${loadavg()[0].toFixed(2)} (1-minute average, ${availableCores()} cores)`,
    );
    console.log(`  p99 < 20 ms      ${report.latenciesMs.p99 < 20 ? 'yes' : 'NO'}`);
  } finally {
    await nats.drain().catch(() => undefined);
    await stopGateway();
  }
}

if (process.argv.includes('--load')) {
  const index = process.argv.indexOf('--load');
  await generateLoad(
    process.argv[index + 1],
    Number(process.argv[index + 2]),
    Number(process.argv[index + 3]),
  );
} else {
  await main();
}

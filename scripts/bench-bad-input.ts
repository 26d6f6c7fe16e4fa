// `npm run bench:bad-input`: the whole suite for one node (controller, sensor, monitor, flow
// discovery, result sink, gateway) as plain processes against infra/local, then a flood of
// bad input: malformed, mistyped and oversized messages on every subject the services
// listen to (NATS, as the developer: the worst a logged-in peer can send) and junk HTTP
// requests to the gateway. Prints each service's RSS before and after, how many inputs
// went in, what came back, and whether every service still answers /health/live.
//
//   npm run bench:bad-input      # 2 rounds of 100,000 NATS messages and 5,000 HTTP requests
//   npm run bench:bad-input -- --messages 20000 --requests 1000 --rounds 3
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  decodeResourceSample,
  SERVICE_NAMES,
  Subjects,
  type ServiceName,
} from '@meshmon/contracts';
import {
  developerNatsLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { junkMessage, listenedSubjects } from '@meshmon/service-runtime/testing/junk-messages.js';
import { ensureServicesBuilt, serviceCommand } from '../apps/lab/src/infra/service-build.js';

const REPO = resolve(import.meta.dirname, '..');
const say = (line: string) => console.log(`bench-bad-input: ${line}`);

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        messages: { type: 'string', default: '100000' },
        requests: { type: 'string', default: '5000' },
        rounds: { type: 'string', default: '2' },
      },
      strict: true,
    });
  } catch (error) {
    console.error(`bench-bad-input: ${(error as Error).message}`);
    process.exit(2);
  }
})();
const count = (name: 'messages' | 'requests' | 'rounds', max: number): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(
      `bench-bad-input: --${name} must be an integer from 1 to ${max} (got "${values[name]}")`,
    );
    process.exit(2);
  }
  return value;
};
const MESSAGES = count('messages', 1_000_000);
const REQUESTS = count('requests', 100_000);
/** Each round floods again: memory that grows every round is a leak, once is a high-water mark. */
const ROUNDS = count('rounds', 10);

interface Running {
  readonly service: ServiceName;
  readonly child: ChildProcess;
  readonly healthUrl: string;
}

/** Resident set size of a process in bytes (VmRSS), or NaN once it is gone. */
function rssOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

async function live(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  await ensureServicesBuilt(REPO);
  const cluster = `bad-${randomBytes(3).toString('hex')}`;
  const subjects = new Subjects(cluster);
  const folder = mkdtempSync(join(tmpdir(), 'bench-bad-input-'));
  const token = randomBytes(16).toString('hex');
  const running: Running[] = [];
  const nats: NatsConnection = await connect({
    servers: 'nats://127.0.0.1:4222',
    name: 'bench-bad-input',
    ...developerNatsLogin(),
  });
  try {
    const base = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      MESHMON_CLUSTER: cluster,
      MESHMON_NODE: 'n1',
      MESHMON_ADDRESS: '127.0.0.1',
      MESHMON_MEMBERS: 'n1',
      MESHMON_ALGORITHM: 'none',
      MESHMON_INFLUX_DATABASE: `bench_${cluster.replaceAll('-', '_')}`,
      MESHMON_OUTBOX_DIR: join(folder, 'outbox'),
      // Their own samples give the JS heap beside the RSS read from /proc.
      MESHMON_SAMPLE_SECONDS: '1',
    };
    const services: readonly ServiceName[] = SERVICE_NAMES;
    let gatewayUrl = '';
    for (const service of services) {
      const port = await freePort('127.0.0.1');
      const [command, ...args] = serviceCommand(REPO, service);
      const env = {
        ...base,
        ...serviceLoginEnv(service),
        ...(service === 'gateway'
          ? {
              MESHMON_GATEWAY_HOST: '127.0.0.1',
              MESHMON_GATEWAY_PORT: String(port),
              MESHMON_GATEWAY_TOKEN: token,
            }
          : { MESHMON_HEALTH_PORT: String(port) }),
      };
      const child = spawn(command, args, { env, stdio: 'ignore' });
      const url = `http://127.0.0.1:${port}`;
      if (service === 'gateway') gatewayUrl = url;
      running.push({ service, child, healthUrl: `${url}/health/live` });
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const states = await Promise.all(running.map((r) => live(r.healthUrl)));
      if (states.every(Boolean)) break;
      await sleep(250);
    }
    await sleep(3000);
    const heap = new Map<string, number>();
    nats.subscribe(subjects.samplesWildcard, {
      callback: (_error, message) => {
        const decoded = decodeResourceSample(message.data);
        if (decoded.ok)
          heap.set(decoded.value.service, decoded.value.process.heapUsedBytes ?? Number.NaN);
      },
    });
    await sleep(2000);
    const before = running.map((r) => rssOf(r.child.pid));
    const heapBefore = running.map((r) => heap.get(r.service) ?? Number.NaN);
    say(`suite up for cluster ${cluster}: ${services.join(', ')}`);

    // NATS: every subject a service listens to, junk cycling through junkMessage's shapes.
    const targets = listenedSubjects(subjects, 'n1', 'n2');
    // Every API route that takes input: bodies, path parameters and query strings.
    const routes = [
      ['POST', '/api/v1/scheduler/start'],
      ['POST', '/api/v1/intents'],
      ['POST', '/api/v1/measurements'],
      ['PUT', '/api/v1/pairs/n1/%ff%fe/priority'],
      ['DELETE', `/api/v1/intents/%00/${'y'.repeat(500)}`],
      ['GET', `/api/v1/results?monitor=%ff&sensor=${'x'.repeat(300)}&limit=-1`],
      ['GET', '/api/v1/events?since=yesterday&type=%00'],
      ['GET', '/api/v1/pairs?monitor=..%2f..%2f'],
      ['GET', '/api/v1/coverage?run=%ff'],
    ] as const;
    const types = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', ''];
    // HTTP: junk bodies, content types, query strings and path parameters on the API.
    const statuses = new Map<number, number>();
    const rounds: number[][] = [];
    const heaps: number[][] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const started = Date.now();
      for (let i = 0; i < MESSAGES; i += 1) {
        nats.publish(targets[i % targets.length], junkMessage(i));
        // Let the server take them in steps, as a fast but real peer would send.
        if (i % 2000 === 1999) await nats.flush();
      }
      await nats.flush();
      const natsSeconds = (Date.now() - started) / 1000;
      say(`${MESSAGES} bad messages on ${targets.length} subjects in ${natsSeconds.toFixed(1)} s`);

      const httpStarted = Date.now();
      for (let i = 0; i < REQUESTS; i += 1) {
        const [method, path] = routes[i % routes.length];
        const body = method === 'POST' || method === 'PUT' ? junkMessage(i) : undefined;
        const response = await fetch(`${gatewayUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(types[i % types.length] ? { 'content-type': types[i % types.length] } : {}),
          },
          body: body as string | Uint8Array<ArrayBuffer> | undefined,
        }).catch(() => null);
        const status = response?.status ?? 0;
        await response?.arrayBuffer().catch(() => undefined);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      const httpSeconds = (Date.now() - httpStarted) / 1000;
      say(
        `${REQUESTS} bad HTTP requests in ${httpSeconds.toFixed(1)} s; statuses so far: ${[
          ...statuses,
        ]
          .sort(([a], [b]) => a - b)
          .map(([status, n]) => `${status === 0 ? 'no answer' : status} x${n}`)
          .join(', ')}`,
      );

      // Time for what is queued to be handled and its garbage collected, as in service.
      await sleep(5000);
      rounds.push(running.map((r) => rssOf(r.child.pid)));
      heaps.push(running.map((r) => heap.get(r.service) ?? Number.NaN));
    }
    const alive = await Promise.all(running.map((r) => live(r.healthUrl)));
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log('');
    console.log(
      `| service | RSS / heap before (MiB) | ${rounds.map((_r, i) => `after round ${i + 1}`).join(' | ')} | /health/live after |`,
    );
    console.log(`|---|---|${rounds.map(() => '---|').join('')}---|`);
    running.forEach((r, i) => {
      console.log(
        `| ${r.service} | ${mib(before[i])} / ${mib(heapBefore[i])} | ${rounds.map((rss, k) => `${mib(rss[i])} / ${mib(heaps[k][i])}`).join(' | ')} | ${alive[i] ? '200' : 'DOWN'} |`,
      );
    });
    const fiveHundreds = [...statuses].filter(([status]) => status >= 500 || status === 0);
    const down = running.filter((_r, i) => !alive[i]).map((r) => r.service);
    console.log('');
    say(
      down.length === 0 && fiveHundreds.length === 0
        ? 'every service still answers; no request got a 5xx or no answer'
        : `FAILED: down ${down.join(', ') || 'none'}; 5xx/no answer ${fiveHundreds.map(([s, n]) => `${s} x${n}`).join(', ') || 'none'}`,
    );
    if (down.length > 0 || fiveHundreds.length > 0) process.exitCode = 1;
  } finally {
    for (const r of running) r.child.kill('SIGTERM');
    await nats.close().catch(() => undefined);
    await sleep(1000);
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();

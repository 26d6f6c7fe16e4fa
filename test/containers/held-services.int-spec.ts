/**
 * The services as the image runs them: through the entrypoint (`meshmon <service>`),
 * with health endpoints, and never a crash loop. A bad setting or a server that does not
 * answer leaves the process up, `/health/live` 200, `/health/ready` 503 naming the
 * setting, with one log line and no stack trace; SIGTERM still stops it with 0.
 */
import { jest, describe, it, expect, beforeAll, afterEach } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { ensureServicesBuilt } from '../../apps/lab/src/infra/service-build.js';
import { pollUntil } from '../support/poll-until.js';
import { serviceLoginEnv } from '@meshmon/service-runtime/credentials/local-logins.js';
import {
  ensureCredentials,
  NATS_AUTHORIZATION_FILE,
} from '@meshmon/service-runtime/credentials/credentials-folder.js';
import { isNatsRole } from '@meshmon/contracts';

jest.setTimeout(120_000);

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ENTRYPOINT = 'dist/apps/meshmon/src/main.js';
/** Nothing listens on port 1: a connection there is refused at once. */
const NOWHERE = '127.0.0.1:1';

interface Service {
  readonly child: ChildProcess;
  readonly port: number;
  stderr(): string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];

async function start(service: string, env: Record<string, string>): Promise<Service> {
  const port = await freePort('127.0.0.1');
  const portVariable = service === 'gateway' ? 'MESHMON_GATEWAY_PORT' : 'MESHMON_HEALTH_PORT';
  const child = spawn(process.execPath, [ENTRYPOINT, service], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      [portVariable]: String(port),
      ...(isNatsRole(service) ? serviceLoginEnv(service) : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, port, stderr: () => stderr, exited };
}

async function health(port: number, path: 'live' | 'ready') {
  const response = await fetch(`http://127.0.0.1:${port}/health/${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Waits for a ready answer whose problems name `field`, and returns them. */
function notReadyNaming(service: Service, field: string, timeoutMs = 30_000) {
  return pollUntil(
    `/health/ready to name ${field}`,
    async () => {
      const { status, body } = await health(service.port, 'ready');
      const problems = (body.problems ?? []) as { field: string; rule: string }[];
      return status === 503 && problems.some((p) => p.field === field) ? problems : undefined;
    },
    timeoutMs,
    200,
  );
}

const cluster = () => `held-${randomBytes(3).toString('hex')}`;

describe('services in a container', () => {
  beforeAll(async () => {
    await ensureServicesBuilt(REPO);
  });

  afterEach(() => {
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('held services - bad settings: not ready naming each one, alive, no crash, SIGTERM exits 0', async () => {
    const sut = await start('controller', {
      MESHMON_CLUSTER: 'Bad.Name',
      MESHMON_PROBE_SECONDS: '0',
    });

    const problems = await notReadyNaming(sut, 'MESHMON_CLUSTER');
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      'MESHMON_ADDRESS',
      'MESHMON_CLUSTER',
      'MESHMON_NODE',
      'MESHMON_PROBE_SECONDS',
    ]);
    expect(await health(sut.port, 'live')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(sut.child.exitCode).toBeNull();
    expect(sut.stderr()).toContain('meshmon-controller: not ready: MESHMON_NODE: is required');
    expect(sut.stderr()).not.toMatch(/\n\s+at /);
    sut.child.kill('SIGTERM');
    expect(await sut.exited).toBe(0);
  });

  it('held services - a NATS that refuses the login: not ready naming MESHMON_NATS_NKEY_FILE, not retried, no secret shown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshmon-nats-users-'));
    const servers = ensureCredentials(join(dir, 'server'));
    const stranger = ensureCredentials(join(dir, 'stranger'));
    const natsPort = await freePort('127.0.0.1');
    writeFileSync(
      join(servers.folder, 'nats.conf'),
      `port: ${natsPort}\nhttp_port: -1\ninclude ./${NATS_AUTHORIZATION_FILE}\n`,
    );
    const nats = spawn('nats-server', ['-c', join(servers.folder, 'nats.conf')], {
      stdio: 'ignore',
    });
    running.push(nats);
    try {
      const sut = await start('sensor', {
        MESHMON_NODE: 'n1',
        MESHMON_ADDRESS: '127.0.0.1',
        MESHMON_CLUSTER: cluster(),
        MESHMON_NATS_URL: `nats://127.0.0.1:${natsPort}`,
        // A seed of another deployment: a login, but not one of this server's users.
        MESHMON_NATS_NKEY_FILE: stranger.natsSeedFiles.sensor,
      });

      const [problem] = await notReadyNaming(sut, 'MESHMON_NATS_NKEY_FILE');

      expect(problem.rule).toContain("refused meshmon-sensor-n1's login");
      expect(problem.rule).toContain("its nkey is not one of the server's users");
      expect(sut.stderr()).toContain('fix the setting, then restart the service');
      expect(sut.stderr()).not.toContain('retrying');
      expect(sut.stderr()).not.toContain(
        readFileSync(stranger.natsSeedFiles.sensor, 'utf8').trim(),
      );
      expect(sut.child.exitCode).toBeNull();
    } finally {
      nats.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('held services - unreachable Redis: not ready naming MESHMON_REDIS_URL, retrying', async () => {
    const sut = await start('sensor', {
      MESHMON_NODE: 'n1',
      MESHMON_ADDRESS: '127.0.0.1',
      MESHMON_CLUSTER: cluster(),
      MESHMON_REDIS_URL: `redis://${NOWHERE}`,
    });

    const [problem] = await notReadyNaming(sut, 'MESHMON_REDIS_URL');
    expect(problem.rule).toContain(`Redis at redis://${NOWHERE}`);
    await pollUntil(
      'a second attempt',
      () => (sut.stderr().match(/retrying in/g)?.length ?? 0) >= 2 || undefined,
      30_000,
      200,
    );
    expect(sut.child.exitCode).toBeNull();
    expect(sut.stderr()).not.toMatch(/\n\s+at /);
  });

  it('held services - a healthy monitor is ready, with a dotted host name and MESHMON_ADDRESS=auto', async () => {
    const sut = await start('monitor', {
      MESHMON_NODE: 'worker-1.example.org',
      MESHMON_ADDRESS: 'auto',
      MESHMON_CLUSTER: cluster(),
      MESHMON_ALGORITHM: 'none',
      // The test's own folder, not the host's /var/lib/meshmon.
      MESHMON_OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'held-monitor-outbox-')),
    });

    const ready = await pollUntil(
      'the monitor to be ready',
      async () => ((await health(sut.port, 'ready')).status === 200 ? true : undefined),
      30_000,
      200,
    );

    expect(ready).toBe(true);
    expect(sut.stderr()).toBe('');
  });

  it('held services - the result sink names an InfluxDB that does not answer', async () => {
    const sut = await start('result-sink', {
      MESHMON_CLUSTER: cluster(),
      MESHMON_INFLUX_URL: `http://${NOWHERE}`,
    });

    const problems = await notReadyNaming(sut, 'MESHMON_INFLUX_URL');

    expect(problems.map((problem) => problem.field)).toEqual(['MESHMON_INFLUX_URL']);
  });

  it('held services - a NATS whose JetStream cannot hold the streams is named, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshmon-small-js-'));
    const natsPort = await freePort('127.0.0.1');
    // Less room than the events stream reserves (1 GiB): creating it is refused.
    writeFileSync(
      join(dir, 'nats.conf'),
      `port: ${natsPort}\nhttp_port: -1\njetstream { store_dir: "${dir}/js", max_file_store: 100MB }\n`,
    );
    const nats = spawn('nats-server', ['-c', join(dir, 'nats.conf')], { stdio: 'ignore' });
    running.push(nats);
    try {
      const sut = await start('result-sink', {
        MESHMON_CLUSTER: cluster(),
        MESHMON_NATS_URL: `nats://127.0.0.1:${natsPort}`,
      });

      const [problem] = await notReadyNaming(sut, 'MESHMON_NATS_URL');

      expect(problem.rule).toMatch(/refused to create stream MESHMON_HELD_[A-Z0-9]+_/);
      expect(problem.rule).toContain('max_file_store');
      expect(sut.child.exitCode).toBeNull();
      expect(sut.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      nats.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('held services - a gateway with a bad setting holds its own port, not ready', async () => {
    const sut = await start('gateway', {
      MESHMON_GATEWAY_HOST: '0.0.0.0',
      MESHMON_GATEWAY_TOKEN: 'short',
      MESHMON_CLUSTER: cluster(),
    });

    const problems = await notReadyNaming(sut, 'MESHMON_GATEWAY_TOKEN');

    expect(problems).toEqual([
      {
        field: 'MESHMON_GATEWAY_TOKEN',
        rule: 'must be 16-256 printable ASCII characters without spaces',
      },
    ]);
    expect((await health(sut.port, 'live')).status).toBe(200);
  });

  it('held services - the entrypoint refuses an unknown service, naming the choices', async () => {
    const sut = await start('router', {});

    expect(await sut.exited).toBe(2);
    expect(sut.stderr()).toContain('meshmon: the command must name a service (got "router")');
    expect(sut.stderr()).toContain('controller|sensor|monitor|flow-discovery|result-sink|gateway');
  });
});

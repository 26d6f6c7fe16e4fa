/**
 * Flow discovery as the lab runs it: a process (`tsx src/main.ts`) configured by its
 * environment, exiting 2 on bad configuration and 0 on SIGTERM.
 */
import { jest, describe, it, expect, afterEach } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { decodeFlowMap, decodeSchedulerEventMessage, Subjects } from '@meshmon/contracts';
import {
  developerNatsLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(60_000);

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = 'apps/flow-discovery/src/main.ts';

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
}

function start(env: Record<string, string>): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
  return { child, exit };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

describe('flow discovery process', () => {
  const children: ChildProcess[] = [];

  afterEach(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('flow discovery process - lists every bad variable and exits 2', async () => {
    const run = start({
      MESHMON_CLUSTER: 'Not Valid',
      MESHMON_DISCOVERY_INTERVAL_MS: 'often',
      MESHMON_IGNORE_PORTS: '80,x',
    });
    children.push(run.child);

    const { code, stderr } = await within(run.exit, 30_000, 'the process to exit');

    expect(code).toBe(2);
    for (const name of [
      'MESHMON_NODE',
      'MESHMON_CLUSTER',
      'MESHMON_DISCOVERY_INTERVAL_MS',
      'MESHMON_IGNORE_PORTS',
    ]) {
      expect(stderr).toContain(name);
    }
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('flow discovery process - publishes maps and stops cleanly on SIGTERM', async () => {
    const cluster = `fdp-${randomBytes(4).toString('hex')}`;
    const subjects = new Subjects(cluster);
    const nc = await connect({ servers: 'nats://127.0.0.1:4222', ...developerNatsLogin() });
    try {
      const seen: string[] = [];
      nc.subscribe(subjects.flows('p1'), {
        callback: (_error, message) => {
          if (decodeFlowMap(message.data).ok) seen.push('flow-map');
        },
      });
      nc.subscribe(subjects.event('service-stopping'), {
        callback: (_error, message) => {
          const decoded = decodeSchedulerEventMessage(message.data);
          if (decoded.ok && decoded.value.node === 'p1') seen.push('service-stopping');
        },
      });
      await nc.flush();
      const run = start({
        MESHMON_NODE: 'p1',
        MESHMON_CLUSTER: cluster,
        MESHMON_DISCOVERY_INTERVAL_MS: '200',
        ...serviceLoginEnv('flow-discovery'),
      });
      children.push(run.child);

      const deadline = Date.now() + 30_000;
      while (!seen.includes('flow-map') && Date.now() < deadline && run.child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen).toContain('flow-map');
      run.child.kill('SIGTERM');
      const { code } = await within(run.exit, 15_000, 'the process to stop');
      await nc.flush();

      expect(code).toBe(0);
      expect(seen).toContain('service-stopping');
    } finally {
      await nc.drain();
    }
  });
});

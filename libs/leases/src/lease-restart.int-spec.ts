/**
 * Leases and fencing counters outlive a Redis restart, with the suite's users as the
 * deployments have them (the default user refusing everyone who does not log in) and the
 * append-only file the deployments keep. Redis 7 replays the lease scripts' MULTI/EXEC as
 * the default user and re-checks its rights at EXEC (redis/redis#14541): with the default
 * user off, this test saw every lease and counter gone after the restart.
 */
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { ensureCredentials, type Credentials } from '@meshmon/service-runtime';
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { connectRedis } from './connect-redis.js';
import { SensorLeases } from './sensor-leases.js';

jest.setTimeout(30_000);

let dir: string;
let port: number;
let credentials: Credentials;
let server: ChildProcess | null = null;
const clients: Redis[] = [];

async function startRedis(): Promise<void> {
  server = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'yes',
      '--dir',
      dir,
      '--aclfile',
      credentials.redisAclFile,
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      clients.push(await login());
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function stopRedis(): Promise<void> {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function login(): Promise<Redis> {
  const client = await connectRedis(`redis://127.0.0.1:${port}`, {
    timeoutMs: 1000,
    redis: { username: credentials.redisUsername, password: credentials.redisPassword },
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshmon-redis-restart-'));
  credentials = ensureCredentials(join(dir, 'credentials'));
  port = await freePort();
  await startRedis();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await stopRedis();
  rmSync(dir, { recursive: true, force: true });
});

describe('leases across a Redis restart', () => {
  it('leases - a held lease and the fencing counter are there after a restart; tokens go on from it', async () => {
    const before = new SensorLeases(await login(), { keyPrefix: 'meshmon:restart' });
    const first = await before.acquire('n1', 'n2/monitor/m1', 60_000);
    const other = await before.acquire('n3', 'n4/monitor/m2', 60_000);
    expect(first).not.toBeNull();
    expect(other).not.toBeNull();
    expect(await before.release(other!)).toBe(true);

    await stopRedis();
    await startRedis();
    const after = new SensorLeases(await login(), { keyPrefix: 'meshmon:restart' });

    // Still held: nobody else gets n1 until its holder lets go or it lapses.
    expect(await after.acquire('n1', 'n5/monitor/m3', 60_000)).toBeNull();
    expect(await after.release(first!)).toBe(true);
    const next = await after.acquire('n1', 'n5/monitor/m3', 60_000);
    // The counter itself survived: the next token is the one after, not a clock reading.
    expect(next?.token).toBe(first!.token + 1);
  });

  it('leases - after the restart a client that does not log in is still refused', async () => {
    const anonymous = connectRedis(`redis://127.0.0.1:${port}`, { timeoutMs: 1000 });
    await expect(anonymous).rejects.toThrow(/NOAUTH|WRONGPASS|Authentication required/);
  });
});

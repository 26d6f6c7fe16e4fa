/**
 * swarm/influxdb-provision.sh, the deployments' InfluxDB entrypoint, run here as the
 * container runs it (sh, influxd from the environment's settings, secrets from a folder)
 * against a private data directory: nothing gets in without a login, the writer only
 * writes the suite's database, the reader only reads it, a changed password takes effect
 * at the next start, a bad secret stops it naming the file and the rule, and a stop
 * signal reaches influxd. The Swarm end-to-end test runs the same file in the stack.
 */
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { influxAuthorization } from '@meshmon/influx-store';
import { freePort } from '@meshmon/service-runtime/free-port.js';
import { ProvisionedInfluxd } from '../../apps/lab/src/infra/provisioned-influxd.js';
import { repo } from '../sink/sink-harness.js';

jest.setTimeout(90_000);

const DATABASE = 'meshmon';

interface Login {
  readonly username: string;
  readonly password: string;
}

let dir: string;
let secrets: string;
let port: number;
let rpcPort: number;

function setPassword(name: 'admin' | 'writer' | 'reader', password: string): Login {
  writeFileSync(join(secrets, `meshmon-influx-${name}-password`), `${password}\n`, {
    mode: 0o600,
  });
  return { username: `meshmon_${name}`, password };
}

/** The entrypoint as a container starts it; its output, every start's, must hold no password. */
let influxd: ProvisionedInfluxd;

async function query(
  statement: string,
  user: Login | null,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/query`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(user ? { authorization: influxAuthorization(user) } : {}),
    },
    body: new URLSearchParams({ q: statement, db: DATABASE }),
  });
  return { status: response.status, body: await response.text() };
}

async function write(line: string, user: Login | null): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/write?db=${DATABASE}`, {
    method: 'POST',
    headers: user ? { authorization: influxAuthorization(user) } : {},
    body: line,
  });
  await response.text();
  return response.status;
}

let admin: Login;
let writer: Login;
let reader: Login;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshmon-influx-provision-'));
  secrets = join(dir, 'secrets');
  mkdirSync(secrets, { mode: 0o700 });
  [port, rpcPort] = [await freePort(), await freePort()];
  admin = setPassword('admin', 'admin-secret-1');
  writer = setPassword('writer', 'writer-secret-2');
  reader = setPassword('reader', 'reader-secret-3');
  influxd = new ProvisionedInfluxd({
    repo,
    folder: dir,
    secrets,
    port,
    rpcPort,
    database: DATABASE,
  });
  await influxd.start();
});

afterAll(async () => {
  await influxd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('influxdb-provision.sh', () => {
  it('influx provision - nothing is read or written without a login', async () => {
    expect(await write('probe,monitor=n1 bits=1', null)).toBe(401);
    expect((await query('SHOW DATABASES', null)).status).toBe(401);
  });

  it('influx provision - the writer writes the suite’s database and reads nothing', async () => {
    expect(await write('probe,monitor=n1 bits=1', writer)).toBe(204);
    expect((await query('SELECT * FROM probe', writer)).body).toMatch(/not authorized/);
    expect((await query('CREATE DATABASE other', writer)).body).toMatch(/requires admin/);
  });

  it('influx provision - the reader reads it and writes nothing', async () => {
    expect(await write('probe,monitor=n2 bits=1', reader)).toBe(403);
    const read = await query('SELECT COUNT(bits) FROM probe', reader);
    expect(read.status).toBe(200);
    expect(read.body).not.toContain('"error"');
  });

  it('influx provision - the retention policy the sink writes to is the default, 30 days', async () => {
    const policies = await query(`SHOW RETENTION POLICIES ON ${DATABASE}`, admin);
    expect(policies.body).toMatch(/\["meshmon_30d","720h0m0s","[0-9hms]+",1,true\]/);
  });

  it('influx provision - a stop signal stops influxd and the entrypoint with it', async () => {
    expect(await influxd.stop()).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/ping`)).rejects.toThrow();
  });

  it('influx provision - a changed writer password takes effect at the next start; data kept', async () => {
    const old = writer;
    writer = setPassword('writer', 'writer-secret-4');
    await influxd.start();

    expect(await write('probe,monitor=n3 bits=1', old)).toBe(401);
    expect(await write('probe,monitor=n3 bits=1', writer)).toBe(204);
    const count = await query('SELECT COUNT(bits) FROM probe', reader);
    expect(count.body).toContain(',2]]');
    await influxd.stop();
  });

  it('influx provision - a password InfluxQL cannot hold stops the start, naming file and rule', async () => {
    setPassword('reader', "it's");
    await expect(influxd.start()).rejects.toThrow(/exited \(1\)/);
    expect(influxd.output).toContain(
      `${secrets}/meshmon-influx-reader-password: a password must not contain ' or \\`,
    );
    setPassword('reader', reader.password);
  });

  it('influx provision - a data volume with another admin password is refused, saying so', async () => {
    setPassword('admin', 'not-the-first-one');
    await expect(influxd.start()).rejects.toThrow(/exited \(1\)/);
    expect(influxd.output).toContain("meshmon_admin's login (a data volume made with another");
    setPassword('admin', admin.password);
  });

  it('influx provision - no password is ever printed, by the entrypoint or by influxd', () => {
    const passwords = ['admin-secret-1', 'writer-secret-2', 'reader-secret-3', 'writer-secret-4'];
    for (const password of [...passwords, 'not-the-first-one'])
      expect(influxd.output).not.toContain(password);
    // Four starts: the first, the one after the stop, and the two refused.
    expect(influxd.output.match(/influxdb-provision: ready/g)).toHaveLength(2);
  });
});

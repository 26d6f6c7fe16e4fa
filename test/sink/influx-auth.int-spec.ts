/**
 * An InfluxDB with authentication on (a private one: users cannot be taken back from the
 * shared one), provisioned by an admin as a deployment would be: the suite's database
 * and retention policy, a writer that may only write it, a reader that may only read it.
 * Nothing gets in without a login, and the sink's store works with the writer alone.
 */
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { SAMPLE_MEASURED_RESULT } from '@meshmon/contracts';
import {
  InfluxStore,
  MEASUREMENTS,
  influxAuthorization,
  resultPoints,
} from '@meshmon/influx-store';
import { OwnInfluxd } from './own-influxd.js';

jest.setTimeout(60_000);

const DATABASE = 'meshmon_auth';
const POLICY = 'meshmon';
const ADMIN = { username: 'admin', password: 'admin-secret-1' };
const WRITER = { username: 'sink', password: 'writer-secret-2' };
const READER = { username: 'gateway', password: 'reader-secret-3' };

let influxd: OwnInfluxd;

/** One InfluxQL statement over HTTP, as `user` (or nobody); the status and the body. */
async function query(
  statement: string,
  user: { username: string; password: string } | null,
  database?: string,
): Promise<{ status: number; body: string }> {
  const form = new URLSearchParams({ q: statement, ...(database ? { db: database } : {}) });
  const response = await fetch(`${influxd.url}/query`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(user ? { authorization: influxAuthorization(user) } : {}),
    },
    body: form,
  });
  return { status: response.status, body: await response.text() };
}

async function write(
  line: string,
  database: string,
  user: { username: string; password: string } | null,
): Promise<number> {
  const response = await fetch(`${influxd.url}/write?db=${database}`, {
    method: 'POST',
    headers: user ? { authorization: influxAuthorization(user) } : {},
    body: line,
  });
  await response.text();
  return response.status;
}

beforeAll(async () => {
  influxd = await OwnInfluxd.create({ auth: true });
  await influxd.start();
  // With authentication on and no users, the one statement allowed is making an admin.
  const made = await query(
    `CREATE USER ${ADMIN.username} WITH PASSWORD '${ADMIN.password}' WITH ALL PRIVILEGES`,
    null,
  );
  expect(made.status).toBe(200);
  for (const statement of [
    `CREATE DATABASE ${DATABASE}`,
    'CREATE DATABASE someone_else',
    `CREATE RETENTION POLICY ${POLICY} ON ${DATABASE} DURATION INF REPLICATION 1 DEFAULT`,
    `CREATE USER ${WRITER.username} WITH PASSWORD '${WRITER.password}'`,
    `GRANT WRITE ON ${DATABASE} TO ${WRITER.username}`,
    `CREATE USER ${READER.username} WITH PASSWORD '${READER.password}'`,
    `GRANT READ ON ${DATABASE} TO ${READER.username}`,
  ]) {
    const answer = await query(statement, ADMIN);
    expect([statement, answer.status, answer.body]).toEqual([
      statement,
      200,
      expect.not.stringContaining('"error"'),
    ]);
  }
});

afterAll(async () => {
  await influxd?.destroy();
});

describe('InfluxDB with authentication', () => {
  it('influx auth - a write or a query without a login is refused', async () => {
    expect(await write('throughput,monitor=n1 bits=1', DATABASE, null)).toBe(401);
    expect((await query('SHOW DATABASES', null)).status).toBe(401);
  });

  it('influx auth - the writer writes the suite’s database only, and reads nothing', async () => {
    expect(await write('probe,monitor=n1 bits=1', DATABASE, WRITER)).toBe(204);
    expect(await write('probe,monitor=n1 bits=1', 'someone_else', WRITER)).toBe(403);
    const read = await query('SELECT * FROM probe', WRITER, DATABASE);
    expect(read.body).toMatch(/not authorized|error authorizing/);
  });

  it('influx auth - the reader reads the suite’s database and writes nothing', async () => {
    expect(await write('probe,monitor=n2 bits=1', DATABASE, READER)).toBe(403);
    const read = await query('SELECT COUNT(bits) FROM probe', READER, DATABASE);
    expect(read.status).toBe(200);
    expect(read.body).not.toContain('"error"');
  });

  it('influx auth - the sink’s store works with the writer alone, on the provisioned database', async () => {
    const store = new InfluxStore({
      url: influxd.url,
      credentials: WRITER,
      database: DATABASE,
      retentionPolicy: POLICY,
      retentionDuration: 'INF',
    });
    const points = resultPoints(SAMPLE_MEASURED_RESULT, { orchestrator: 'process' });

    await store.ensureDatabase();
    await store.write(points);

    expect(store.provisioned).toBe(true);
    const stored = await query(
      `SELECT COUNT("measurement_id") FROM "${MEASUREMENTS.throughput}"`,
      READER,
      DATABASE,
    );
    expect(stored.body).toContain('"values":[["1970-01-01T00:00:00Z",1]]');
  });
});

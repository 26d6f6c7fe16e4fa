import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { InfluxDB } from 'influx';
import { influxEndpoint, resultPoints } from '@meshmon/influx-store';
import { goodResult, INFLUX_URL, startHarness, type Harness } from './gateway-harness.js';
import { developerInfluxLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(60_000);

describe('gateway results', () => {
  let harness: Harness;
  const database = `gw_results_${Date.now().toString(36)}_${process.pid}`;
  const influx = new InfluxDB({ ...influxEndpoint(INFLUX_URL, developerInfluxLogin()), database });
  const base = Date.UTC(2026, 0, 1, 12, 0, 0);

  beforeAll(async () => {
    harness = await startHarness('gw-results', { MESHMON_INFLUX_DATABASE: database });
    await influx.createDatabase(database);
    // Written as the result sink writes them: the same points, nanosecond precision.
    const results = [
      goodResult(harness.cluster, 'm1', 's1', base + 10_000, 1e9),
      goodResult(harness.cluster, 'm1', 's1', base + 20_000, 3e9),
      goodResult(harness.cluster, 'm1', 's2', base + 30_000, 5e8),
      goodResult('another-cluster', 'm1', 's1', base + 40_000, 7e9),
    ];
    const points = results.flatMap((result) => resultPoints(result, { orchestrator: 'none' }));
    await influx.writePoints(points, { precision: 'n' });
  });

  afterAll(async () => {
    await influx.dropDatabase(database).catch(() => undefined);
    await harness?.close();
  });

  const range = `from=${base}&to=${base + 60_000}`;

  it('results - lists this cluster’s points newest first, with RTT joined', async () => {
    const response = await harness.call('GET', `/api/v1/results?${range}`);

    expect(response.status).toBe(200);
    expect(
      response.json.results.map((point: { bitsPerSecond: number }) => point.bitsPerSecond),
    ).toEqual([5e8, 3e9, 1e9]);
    expect(response.json.results[0]).toMatchObject({
      monitor: 'm1',
      sensor: 's2',
      tool: 'iperf3-tcp',
      ok: true,
      rttAvgMs: 0.2,
      rttLossPercent: 0,
      measurementId: expect.any(String),
      timeMs: expect.any(Number),
    });
  });

  it('results - filters by tag with bound parameters and takes ISO times', async () => {
    const from = new Date(base).toISOString();
    const response = await harness.call(
      'GET',
      `/api/v1/results?sensor=s1&limit=1&from=${from}&to=${base + 60_000}`,
    );

    expect(response.json.results).toHaveLength(1);
    expect(response.json.results[0]).toMatchObject({ sensor: 's1', bitsPerSecond: 3e9 });
  });

  it('results - aggregates per pair, and per interval', async () => {
    const mean = await harness.call('GET', `/api/v1/results?${range}&aggregate=mean`);
    const byPair = Object.fromEntries(
      mean.json.results.map((point: { sensor: string; bitsPerSecond: number }) => [
        point.sensor,
        point.bitsPerSecond,
      ]),
    );
    expect(byPair).toEqual({ s1: 2e9, s2: 5e8 });

    const perInterval = await harness.call(
      'GET',
      `/api/v1/results?${range}&sensor=s1&aggregate=max&interval=15s`,
    );
    expect(perInterval.status).toBe(200);
    expect(
      perInterval.json.results.map((point: { bitsPerSecond: number }) => point.bitsPerSecond),
    ).toEqual([3e9, 1e9]);
    expect(perInterval.json.results[0]).toMatchObject({ aggregate: 'max', rttAvgMs: 0.2 });
  });

  it('results - a database that does not exist yet gives no results, not an error', async () => {
    const other = await startHarness('gw-results-empty', {
      MESHMON_INFLUX_DATABASE: `${database}_none`,
    });
    try {
      const response = await other.call('GET', '/api/v1/results');
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ results: [] });
    } finally {
      await other.close();
    }
  });
});

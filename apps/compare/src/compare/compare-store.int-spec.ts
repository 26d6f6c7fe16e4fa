/** The comparison's reads of what the blocks' sinks stored, against the real InfluxDB. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InfluxDB } from 'influx';
import {
  SAMPLE_FAILED_RESULT,
  SAMPLE_MEASURED_RESULT,
  type MeasurementResult,
} from '@meshmon/contracts';
import { resultPoints } from '@meshmon/influx-store';
import { CompareStore } from './compare-store.js';
import { developerInfluxLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

const INFLUX_URL = 'http://127.0.0.1:8086';

describe(CompareStore.name, () => {
  const database = `compare_store_${Date.now().toString(36)}_${process.pid}`;
  const influx = new InfluxDB({
    host: '127.0.0.1',
    port: 8086,
    database,
    ...developerInfluxLogin(),
  });
  const store = new CompareStore(INFLUX_URL, database, developerInfluxLogin());
  const run = 'cmp-2612072000-ab12';

  const result = (cluster: string, startedAtMs: number, bytes: number): MeasurementResult => ({
    ...SAMPLE_MEASURED_RESULT,
    measurementId: `${cluster}-${startedAtMs}`,
    cluster,
    monitor: 'node1',
    sensor: 'node2',
    startedAtMs,
    endedAtMs: startedAtMs + 2000,
    throughput: { ...SAMPLE_MEASURED_RESULT.throughput, bytes },
  });

  beforeAll(async () => {
    await store.ensureDatabase();
    const t = Date.UTC(2026, 11, 7, 20, 0, 0);
    const results: MeasurementResult[] = [
      result(`${run}-b1`, t, 1000),
      result(`${run}-b12`, t + 5000, 2000),
      // Another run's block, a cluster that only starts like a block name, a failed probe.
      result('cmp-2612071900-ffff-b1', t, 4000),
      result(`${run}-b1x`, t, 8000),
      // UDP: its bytes may be the sender's count; no lower bound for the sensor.
      { ...result(`${run}-b1`, t + 9000, 16_000), tool: 'iperf3-udp' },
      { ...SAMPLE_FAILED_RESULT, cluster: `${run}-b1`, measurementId: 'failed-1', startedAtMs: t },
    ];
    const points = results.flatMap((one) => resultPoints(one, { orchestrator: 'container' }));
    await influx.writePoints(points, { precision: 'n' });
  });

  afterAll(async () => {
    await influx.dropDatabase(database).catch(() => undefined);
  });

  it("compare store - the probes are the run's blocks' good TCP results, with their bytes and times", async () => {
    const probes = await store.loadProbes(run);

    const t = Date.UTC(2026, 11, 7, 20, 0, 0);
    expect(probes.sort((a, b) => a.startMs - b.startMs)).toEqual([
      {
        orchestrator: 'container',
        monitor: 'node1',
        sensor: 'node2',
        startMs: t,
        endMs: t + 2000,
        bytes: 1000,
      },
      {
        orchestrator: 'container',
        monitor: 'node1',
        sensor: 'node2',
        startMs: t + 5000,
        endMs: t + 7000,
        bytes: 2000,
      },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { decodeSinkStats, Subjects, type SinkStats } from '@meshmon/contracts';
import { MEASUREMENTS } from '@meshmon/influx-store';
import { ensureEventsStream, ensureResultsStream } from '@meshmon/service-runtime';
import { expectedPoints } from './sink-fixtures.js';
import { OwnInfluxd } from './own-influxd.js';
import {
  countPoints,
  deleteStreams,
  NATS_URL,
  pollUntil,
  publishResults,
  spawnSink,
  stopSink,
  uniqueSuffix,
  type SinkProcess,
} from './sink-harness.js';
import { developerNatsLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(180_000);

const suffix = uniqueSuffix();
const cluster = `outage-${suffix}`.slice(0, 32);
const database = 'meshmon';
const subjects = new Subjects(cluster);

describe('result sink - InfluxDB outage and sink crashes', () => {
  let connection: NatsConnection;
  let influxd: OwnInfluxd;
  const sinks: SinkProcess[] = [];

  const startSink = (): SinkProcess => {
    const sink = spawnSink({
      MESHMON_CLUSTER: cluster,
      MESHMON_NATS_URL: NATS_URL,
      MESHMON_INFLUX_URL: influxd.url,
      MESHMON_INFLUX_DATABASE: database,
      MESHMON_SINK_BATCH: '200',
      // Short, so what a killed sink held is redelivered within the test.
      MESHMON_SINK_ACK_WAIT_MS: '3000',
    });
    sinks.push(sink);
    return sink;
  };
  const stored = (): Promise<number> =>
    countPoints(influxd.url, database, MEASUREMENTS.throughput).catch(() => 0);
  const storedExactly = async (count: number): Promise<void> => {
    await pollUntil(
      `${count} results stored`,
      async () => ((await stored()) >= count ? true : undefined),
      60_000,
    );
    // A double would be a later write of an already counted result: give it time to show.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await stored()).toBe(count);
    expect(await countPoints(influxd.url, database, MEASUREMENTS.rtt)).toBe(
      expectedPoints(count).rtt,
    );
  };
  const stats = async (): Promise<SinkStats> => {
    const reply = await connection.request(subjects.sinkStats, '', { timeout: 2000 });
    const decoded = decodeSinkStats(reply.data);
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.problems));
    return decoded.value;
  };

  beforeAll(async () => {
    connection = await connect({ servers: NATS_URL, ...developerNatsLogin() });
    await ensureResultsStream(connection, subjects);
    await ensureEventsStream(connection, subjects);
    influxd = await OwnInfluxd.create();
    await influxd.start();
  });

  afterAll(async () => {
    for (const sink of sinks) await stopSink(sink, 'SIGKILL');
    await influxd?.destroy();
    await deleteStreams(connection, [
      subjects.resultsStream,
      subjects.eventsStream,
      subjects.deadLetterStream,
    ]);
    await connection.close();
  });

  it('stores every result exactly once across an InfluxDB stop and start', async () => {
    const sink = startSink();
    await publishResults(connection, subjects, 0, 300);
    await storedExactly(300);

    await influxd.stop();
    await publishResults(connection, subjects, 300, 700);
    const down = await pollUntil(
      'the sink to notice the outage',
      async () => {
        const current = await stats();
        return !current.influxUp && current.retries >= 3 ? current : undefined;
      },
      30_000,
    );
    await influxd.start();

    await storedExactly(700);
    expect(down.lastError).toMatch(/ECONNREFUSED|socket|connect/i);
    expect(sink.child.exitCode).toBeNull();
    expect((await stats()).influxUp).toBe(true);
  });

  it('stores every result exactly once when the sink is killed mid-stream and restarted', async () => {
    const [first] = sinks;
    // The sink stores as fast as results are published, so it is killed while they still
    // arrive: a batch after the first new one is then in hand, unacknowledged.
    const total = 12_700;
    const publishing = publishResults(connection, subjects, 700, total);
    await pollUntil(
      'a batch stored',
      async () => ((await stored()) > 700 ? true : undefined),
      30_000,
      20,
    );
    await stopSink(first, 'SIGKILL');
    const afterKill = await stored();
    await publishing;
    expect(afterKill).toBeLessThan(total);

    startSink();

    await storedExactly(total);
    const manager = await jetstreamManager(connection);
    const consumer = await manager.consumers.info(subjects.resultsStream, 'result-sink');
    expect(consumer.num_ack_pending + consumer.num_pending).toBe(0);
    const deadLetters = await manager.streams.info(subjects.deadLetterStream);
    expect(deadLetters.state.messages).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  decodeDeadLetter,
  decodeSinkStats,
  encodeErrorEventMessage,
  encodeResourceSample,
  SAMPLE_RESOURCE_SAMPLE,
  Subjects,
  type DeadLetter,
} from '@meshmon/contracts';
import { MEASUREMENTS } from '@meshmon/influx-store';
import {
  ensureEventsStream,
  ensureResultsStream,
  ensureSamplesStream,
} from '@meshmon/service-runtime';
import { startResultSink, type ResultSink } from '../../apps/result-sink/src/bootstrap.js';
import { expectedPoints, sampleEvent, sampleResult } from './sink-fixtures.js';
import {
  countPoints,
  deleteStreams,
  dropDatabase,
  INFLUX_URL,
  NATS_URL,
  pollUntil,
  publishResults,
  uniqueSuffix,
} from './sink-harness.js';
import {
  developerNatsLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(60_000);

const RESULTS = 250;
const EVENTS = 20;
const SAMPLES = 3;
const suffix = uniqueSuffix();
const cluster = `sink-${suffix}`.slice(0, 32);
const database = `sink_test_${suffix}`;
const subjects = new Subjects(cluster);
const utf8 = new TextEncoder();

describe('result sink - valid results, events and garbage', () => {
  let connection: NatsConnection;
  let sink: ResultSink | undefined;

  beforeAll(async () => {
    connection = await connect({ servers: NATS_URL, ...developerNatsLogin() });
    await ensureResultsStream(connection, subjects);
    await ensureEventsStream(connection, subjects);
    await ensureSamplesStream(connection, subjects);
    // Published before the sink starts: it must read the backlog, not just live traffic.
    await publishResults(connection, subjects, 0, RESULTS);
    const js = jetstream(connection);
    for (let n = 0; n < EVENTS; n += 1) {
      await js.publish(subjects.event('role-switched'), sampleEvent(cluster, n));
    }
    await js.publish(
      subjects.errorEvents,
      encodeErrorEventMessage({
        v: 1,
        cluster,
        node: 'n1',
        service: 'monitor',
        atMs: Date.now(),
        subject: subjects.result('n1', 'n2'),
        code: 'result-publish-failed',
        message: 'timeout',
        problems: [],
      }),
    );
    const valid = sampleResult(cluster, 1);
    const subject = subjects.result(valid.monitor, valid.sensor);
    await js.publish(subject, utf8.encode('{not json'));
    await js.publish(subject, utf8.encode(JSON.stringify({ ...valid, fencingToken: 'seven' })));
    const { cpu: _cpu, ...missingCpu } = valid as unknown as Record<string, unknown>;
    await js.publish(subject, utf8.encode(JSON.stringify(missingCpu)));
    await js.publish(subjects.result('n5', 'n6'), utf8.encode(JSON.stringify(valid)));
    await js.publish(subjects.event('slot-granted'), sampleEvent(cluster, 0));
    const monitorSample = {
      ...SAMPLE_RESOURCE_SAMPLE,
      cluster,
      orchestrator: 'swarm' as const,
      service: 'monitor' as const,
      node: 'n1',
    };
    for (let n = 1; n <= SAMPLES; n += 1) {
      const sample = { ...monitorSample, sampleId: `boot.${n}`, atMs: Date.now() - 10_000 + n };
      // Each twice, as a publisher retrying after a lost acknowledgement would.
      for (const _copy of [1, 2]) {
        await js.publish(subjects.samples('monitor', 'n1'), encodeResourceSample(sample), {
          msgID: sample.sampleId,
        });
      }
    }
    // n1's sample filed under n2: it would be stored as n2's.
    await js.publish(subjects.samples('monitor', 'n2'), encodeResourceSample(monitorSample));

    sink = await startResultSink(
      {
        MESHMON_CLUSTER: cluster,
        MESHMON_NATS_URL: NATS_URL,
        MESHMON_INFLUX_URL: INFLUX_URL,
        MESHMON_INFLUX_DATABASE: database,
        MESHMON_SINK_BATCH: '100',
        ...serviceLoginEnv('result-sink'),
      },
      ['error'],
    );
  });

  afterAll(async () => {
    await sink?.close();
    await deleteStreams(connection, [
      subjects.resultsStream,
      subjects.eventsStream,
      subjects.samplesStream,
      subjects.deadLetterStream,
    ]);
    await connection.close();
    await dropDatabase(INFLUX_URL, database);
  });

  it('stores every valid result exactly once, with its rtt point when it has one', async () => {
    const expected = expectedPoints(RESULTS);

    await pollUntil(
      'all results in InfluxDB',
      async () =>
        (await countPoints(INFLUX_URL, database, MEASUREMENTS.throughput)) >= RESULTS
          ? true
          : undefined,
      30_000,
    );

    expect(await countPoints(INFLUX_URL, database, MEASUREMENTS.throughput)).toBe(RESULTS);
    expect(await countPoints(INFLUX_URL, database, MEASUREMENTS.rtt)).toBe(expected.rtt);
  });

  it('stores the events, including the error event and its own service-started', async () => {
    const byType = (type: string): Promise<number> =>
      countPoints(INFLUX_URL, database, MEASUREMENTS.events, 'count', `"type" = '${type}'`);

    await pollUntil(
      'the events in InfluxDB',
      async () => ((await byType('role-switched')) >= EVENTS ? true : undefined),
      30_000,
    );

    expect(await byType('role-switched')).toBe(EVENTS);
    expect(await byType('error')).toBe(1);
    expect(await byType('service-started')).toBe(1);
  });

  it('dead-letters the garbage with reasons naming the field, and acknowledges it', async () => {
    const manager = await jetstreamManager(connection);
    const letters = await pollUntil(
      'six dead letters',
      async () => {
        const info = await manager.streams.info(subjects.deadLetterStream);
        return info.state.messages >= 6 ? info.state.messages : undefined;
      },
      30_000,
    );
    const read: DeadLetter[] = [];
    for (let seq = 1; seq <= letters; seq += 1) {
      const message = await manager.streams.getMessage(subjects.deadLetterStream, { seq });
      const decoded = decodeDeadLetter(message!.data);
      if (decoded.ok) read.push(decoded.value);
    }
    const fields = (letter: DeadLetter) => letter.problems.map((problem) => problem.field);

    expect(read).toHaveLength(6);
    expect(read.map(fields).sort()).toEqual(
      [
        ['(body)'],
        ['fencingToken'],
        ['cpu'],
        ['monitor', 'sensor'],
        ['event.type'],
        ['node'],
      ].sort(),
    );
    expect(read.find((letter) => letter.payload === '{not json')?.problems).toEqual([
      { field: '(body)', rule: 'must be JSON' },
    ]);
    const consumer = await manager.consumers.info(subjects.resultsStream, 'result-sink');
    expect(consumer.num_ack_pending + consumer.num_pending).toBe(0);
  });

  it('stores the resource samples once each, its own included, tagged with their orchestrator', async () => {
    const bySource = (where: string): Promise<number> =>
      countPoints(INFLUX_URL, database, MEASUREMENTS.resources, 'cpu_user_us', where);

    await pollUntil(
      "the samples and the sink's own in InfluxDB",
      async () =>
        (await bySource(`"service" = 'monitor'`)) >= SAMPLES &&
        (await bySource(`"service" = 'result-sink'`)) >= 1
          ? true
          : undefined,
      30_000,
    );

    expect(
      await bySource(
        `"service" = 'monitor' AND "node" = 'n1' AND "run" = 'live' AND "orchestrator" = 'swarm'`,
      ),
    ).toBe(SAMPLES);
    expect(await bySource(`"node" = 'n2'`)).toBe(0);
    expect(await bySource(`"service" = 'result-sink' AND "orchestrator" = 'none'`)).toBeGreaterThan(
      0,
    );
  });

  it('answers sink.stats with the counts, and is still running', async () => {
    const stats = await pollUntil(
      'stats with everything stored',
      async () => {
        const reply = await connection.request(subjects.sinkStats, '', { timeout: 2000 });
        const decoded = decodeSinkStats(reply.data);
        if (!decoded.ok) throw new Error(JSON.stringify(decoded.problems));
        return decoded.value.results.stored === RESULTS ? decoded.value : undefined;
      },
      30_000,
    );

    expect(stats).toMatchObject({
      cluster,
      sink: 'sink',
      influxUp: true,
      results: { received: RESULTS + 4, stored: RESULTS, deadLettered: 4, retries: 0 },
    });
    expect(stats.events.deadLettered).toBe(1);
    expect(stats.events.stored).toBeGreaterThanOrEqual(EVENTS + 2);
    expect(stats.samples.deadLettered).toBe(1);
    expect(stats.samples.stored).toBeGreaterThanOrEqual(SAMPLES);
    expect(sink!.stats().results.stored).toBe(RESULTS);
  });
});

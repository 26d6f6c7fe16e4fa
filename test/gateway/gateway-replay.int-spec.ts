import { jest, describe, it, expect, afterAll } from '@jest/globals';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { encodeMeasurementResult, encodeSchedulerEventMessage, Subjects } from '@meshmon/contracts';
import { ensureEventsStream, ensureResultsStream } from '@meshmon/service-runtime';
import {
  goodResult,
  NATS_URL,
  startHarness,
  uniqueCluster,
  type Harness,
} from './gateway-harness.js';
import { developerNatsLogin } from '@meshmon/service-runtime/credentials/local-logins.js';

jest.setTimeout(60_000);

describe('gateway replay', () => {
  const cluster = uniqueCluster('gw-replay');
  const subjects = new Subjects(cluster);
  let harness: Harness | undefined;

  afterAll(async () => {
    await harness?.close();
    const nats = await connect({ servers: NATS_URL, ...developerNatsLogin() });
    const manager = await jetstreamManager(nats);
    for (const stream of [subjects.eventsStream, subjects.resultsStream]) {
      await manager.streams.delete(stream).catch(() => undefined);
    }
    await nats.drain();
  });

  it('replay - a gateway started later rebuilds nodes, roles and pair counts from the streams', async () => {
    const nats = await connect({ servers: NATS_URL, ...developerNatsLogin() });
    await ensureEventsStream(nats, subjects);
    await ensureResultsStream(nats, subjects);
    const js = jetstream(nats);
    const now = Date.now();
    await js.publish(
      subjects.event('role-switched'),
      encodeSchedulerEventMessage({
        v: 1,
        cluster,
        node: 'x',
        service: 'controller',
        atMs: now - 5000,
        event: { type: 'role-switched', node: 'x', role: 'sensor' },
      }),
    );
    const result = goodResult(cluster, 'y', 'x', now - 1000);
    await js.publish(subjects.result('y', 'x'), encodeMeasurementResult(result), {
      msgID: result.measurementId,
    });
    await nats.drain();

    harness = await startHarness('gw-replay', { MESHMON_CLUSTER: cluster });
    await harness.gateway.replayed;
    // The same result arriving live again counts once.
    harness.publishResult(result);
    await harness.nats.flush();

    const nodes = (await harness.call('GET', '/api/v1/nodes')).json.nodes;
    expect(
      nodes.map((node: { node: string; role: string | null }) => [node.node, node.role]),
    ).toEqual([
      ['x', 'sensor'],
      ['y', null],
    ]);
    const pairs = (await harness.call('GET', '/api/v1/pairs')).json.pairs;
    expect(pairs.find((pair: { monitor: string }) => pair.monitor === 'y')).toMatchObject({
      sensor: 'x',
      count: 1,
    });
  });
});

import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { knowNodes, startHarness, type Harness } from './gateway-harness.js';

jest.setTimeout(60_000);

interface BadCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly status: number;
  /** A problem must name this field (omit for errors without problems). */
  readonly field?: string;
}

const CASES: readonly BadCase[] = [
  // scheduler
  {
    name: 'start with an unknown algorithm',
    method: 'POST',
    path: '/api/v1/scheduler/start',
    body: { algorithm: 'fifo' },
    status: 400,
    field: 'algorithm',
  },
  {
    name: 'start without an algorithm',
    method: 'POST',
    path: '/api/v1/scheduler/start',
    body: {},
    status: 400,
    field: 'algorithm',
  },
  {
    name: 'start with a parameter as text',
    method: 'POST',
    path: '/api/v1/scheduler/start',
    body: { algorithm: 'cps', 'cps.listeningMs': '640' },
    status: 400,
    field: 'cps.listeningMs',
  },
  {
    name: 'start with an unknown parameter',
    method: 'POST',
    path: '/api/v1/scheduler/start',
    body: { algorithm: 'cps', 'cps.speed': 1 },
    status: 400,
    field: 'cps.speed',
  },
  {
    name: 'start with a parameter out of range',
    method: 'POST',
    path: '/api/v1/scheduler/start',
    body: { algorithm: 'cps', 'cps.listeningMs': -5 },
    status: 400,
    field: 'cps.listeningMs',
  },
  {
    name: 'start with an array body',
    method: 'POST',
    path: '/api/v1/scheduler/start',
    body: [1, 2],
    status: 400,
    field: '(body)',
  },
  {
    name: 'stop with a field',
    method: 'POST',
    path: '/api/v1/scheduler/stop',
    body: { now: true },
    status: 400,
    field: 'now',
  },
  // pairs
  {
    name: 'priority as text',
    method: 'PUT',
    path: '/api/v1/pairs/n1/n2/priority',
    body: { priorityMs: 'high' },
    status: 400,
    field: 'priorityMs',
  },
  {
    name: 'priority missing',
    method: 'PUT',
    path: '/api/v1/pairs/n1/n2/priority',
    body: {},
    status: 400,
    field: 'priorityMs',
  },
  {
    name: 'priority with an unknown field',
    method: 'PUT',
    path: '/api/v1/pairs/n1/n2/priority',
    body: { priorityMs: 1, why: 'x' },
    status: 400,
    field: 'why',
  },
  {
    name: 'priority for a bad node name',
    method: 'PUT',
    path: '/api/v1/pairs/n%2A1/n2/priority',
    body: { priorityMs: 1 },
    status: 400,
    field: 'monitor',
  },
  {
    name: 'priority for an unknown node',
    method: 'PUT',
    path: '/api/v1/pairs/n1/ghost/priority',
    body: { priorityMs: 1 },
    status: 404,
    field: 'sensor',
  },
  {
    name: 'priority for a node with itself',
    method: 'PUT',
    path: '/api/v1/pairs/n1/n1/priority',
    body: { priorityMs: 1 },
    status: 400,
    field: 'sensor',
  },
  // intents
  {
    name: 'intent without sensor',
    method: 'POST',
    path: '/api/v1/intents',
    body: { monitor: 'n1' },
    status: 400,
    field: 'sensor',
  },
  {
    name: 'intent with a number as node',
    method: 'POST',
    path: '/api/v1/intents',
    body: { monitor: 1, sensor: 'n2' },
    status: 400,
    field: 'monitor',
  },
  {
    name: 'intent for an unknown node',
    method: 'POST',
    path: '/api/v1/intents',
    body: { monitor: 'ghost', sensor: 'n2' },
    status: 404,
    field: 'monitor',
  },
  {
    name: 'intent with an unknown field',
    method: 'POST',
    path: '/api/v1/intents',
    body: { monitor: 'n1', sensor: 'n2', x: 1 },
    status: 400,
    field: 'x',
  },
  {
    name: 'removing an intent never added',
    method: 'DELETE',
    path: '/api/v1/intents/n1/n2',
    status: 404,
    field: 'sensor',
  },
  {
    name: 'removing an intent of a bad name',
    method: 'DELETE',
    path: '/api/v1/intents/n.1/n2',
    status: 400,
    field: 'monitor',
  },
  // measurements
  {
    name: 'measurement with an unknown tool',
    method: 'POST',
    path: '/api/v1/measurements',
    body: { monitor: 'n1', sensor: 'n2', tool: 'ping' },
    status: 400,
    field: 'tool',
  },
  {
    name: 'measurement without monitor',
    method: 'POST',
    path: '/api/v1/measurements',
    body: { sensor: 'n2', tool: 'iperf3-tcp' },
    status: 400,
    field: 'monitor',
  },
  {
    name: 'measurement with a fractional wait',
    method: 'POST',
    path: '/api/v1/measurements',
    body: { monitor: 'n1', sensor: 'n2', tool: 'iperf3-tcp', waitMs: 1.5 },
    status: 400,
    field: 'waitMs',
  },
  {
    name: 'measurement of an unknown sensor',
    method: 'POST',
    path: '/api/v1/measurements',
    body: { monitor: 'n1', sensor: 'ghost', tool: 'iperf3-tcp' },
    status: 404,
    field: 'sensor',
  },
  {
    name: 'measurement of a node with itself',
    method: 'POST',
    path: '/api/v1/measurements',
    body: { monitor: 'n1', sensor: 'n1', tool: 'iperf3-tcp' },
    status: 400,
    field: 'sensor',
  },
  // results
  {
    name: 'results with a bad time',
    method: 'GET',
    path: '/api/v1/results?from=yesterday',
    status: 400,
    field: 'from',
  },
  {
    name: 'results with from after to',
    method: 'GET',
    path: '/api/v1/results?from=2000&to=1000',
    status: 400,
    field: 'from',
  },
  {
    name: 'results with an unknown aggregate',
    method: 'GET',
    path: '/api/v1/results?aggregate=avg',
    status: 400,
    field: 'aggregate',
  },
  {
    name: 'results with an interval but no aggregate',
    method: 'GET',
    path: '/api/v1/results?interval=1m',
    status: 400,
    field: 'interval',
  },
  {
    name: 'results with an injected tag value',
    method: 'GET',
    path: `/api/v1/results?monitor=${encodeURIComponent("a' OR 1=1")}`,
    status: 400,
    field: 'monitor',
  },
  {
    name: 'results with a huge limit',
    method: 'GET',
    path: '/api/v1/results?limit=100000',
    status: 400,
    field: 'limit',
  },
  {
    name: 'results with a repeated parameter',
    method: 'GET',
    path: '/api/v1/results?tool=iperf3-tcp&tool=iperf3-udp',
    status: 400,
    field: 'tool',
  },
  {
    name: 'results with an unknown parameter',
    method: 'GET',
    path: '/api/v1/results?node=n1',
    status: 400,
    field: 'node',
  },
  // outliers and events
  {
    name: 'outliers of an unknown metric',
    method: 'GET',
    path: '/api/v1/outliers?metric=loss',
    status: 400,
    field: 'metric',
  },
  {
    name: 'outliers with a threshold as text',
    method: 'GET',
    path: '/api/v1/outliers?threshold=high',
    status: 400,
    field: 'threshold',
  },
  {
    name: 'throughput outliers with a ratio above 1',
    method: 'GET',
    path: '/api/v1/outliers?metric=throughput&threshold=2',
    status: 400,
    field: 'threshold',
  },
  {
    name: 'events of an unknown type',
    method: 'GET',
    path: '/api/v1/events?types=result,gossip',
    status: 400,
    field: 'types',
  },
  // the body itself
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/api/v1/intents',
    body: '{"monitor": "n1",',
    status: 400,
    field: '(body)',
  },
  {
    name: 'a body not sent as JSON',
    method: 'POST',
    path: '/api/v1/intents',
    body: 'monitor=n1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 400,
    field: '(body)',
  },
  {
    name: 'an oversized body',
    method: 'POST',
    path: '/api/v1/intents',
    body: JSON.stringify({ monitor: 'x'.repeat(70_000) }),
    status: 413,
    field: '(body)',
  },
  { name: 'an unknown route', method: 'GET', path: '/api/v1/nothing', status: 404 },
];

describe('gateway bad input', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('gw-bad');
    await knowNodes(harness, ['n1', 'n2']);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it.each(CASES)('bad input - $name gets $status naming the field', async (bad) => {
    const response = await harness.call(bad.method, bad.path, {
      body: bad.body,
      headers: bad.headers,
    });

    expect(response.status).toBe(bad.status);
    expect(response.json?.error).toMatchObject({
      status: bad.status,
      code: expect.any(String),
      message: expect.any(String),
    });
    if (bad.field !== undefined) {
      expect(
        response.json.error.problems.map((problem: { field: string }) => problem.field),
      ).toContain(bad.field);
    }
    // Still answering after every bad request.
    expect((await harness.call('GET', '/health/live')).status).toBe(200);
  });

  it('bad input - a burst of junk bodies leaves the gateway answering', async () => {
    const junk = [
      '',
      'null',
      '"x"',
      '[]',
      '{"__proto__": {"a": 1}}',
      '{"monitor": {"$gt": ""}}',
      '\u0000\u0001',
      '{'.repeat(5000),
    ];
    const statuses = await Promise.all(
      junk.map(async (body) => (await harness.call('POST', '/api/v1/intents', { body })).status),
    );

    expect(statuses.every((status) => status >= 400 && status < 500)).toBe(true);
    expect((await harness.call('GET', '/api/v1/nodes')).status).toBe(200);
  });
});

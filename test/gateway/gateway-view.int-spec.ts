import { encodeFlowMap } from '@meshmon/contracts';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import {
  goodResult,
  HARNESS_TOKEN,
  knowNodes,
  startHarness,
  until,
  type Harness,
} from './gateway-harness.js';

jest.setTimeout(60_000);

/** Reads an SSE stream until `done` says so (or the deadline), returning the frames. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  done: (frames: string[]) => boolean,
  onOpen: () => void,
  timeoutMs = 10_000,
): Promise<string[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const frames: string[] = [];
  try {
    const response = await fetch(url, { headers, signal: abort.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    onOpen();
    while (!done(frames)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      const parts = buffer.split('\n\n');
      buffer = parts.pop() ?? '';
      frames.push(...parts.filter((part) => !part.startsWith(':')));
    }
    abort.abort();
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return frames;
}

describe('gateway view', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('gw-view');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('view - nodes and pairs reflect published events and results', async () => {
    await knowNodes(harness, ['a', 'b', 'c']);
    harness.publishEvent('a', { type: 'role-switched', node: 'a', role: 'monitor' });
    harness.publishEvent(
      'b',
      { type: 'slot-granted', monitor: 'a', sensor: 'b', fencingToken: 3 },
      'sensor',
    );

    const nodes = await until('roles and partners', async () => {
      const { json } = await harness.call('GET', '/api/v1/nodes');
      const a = json.nodes.find((node: { node: string }) => node.node === 'a');
      return a?.role === 'monitor' && a.partner === 'b' ? json.nodes : undefined;
    });
    expect(nodes.find((node: { node: string }) => node.node === 'b')).toMatchObject({
      partner: 'a',
      services: { controller: expect.any(Number), sensor: expect.any(Number) },
    });

    harness.publishResult(goodResult(harness.cluster, 'a', 'b', Date.now(), 5e8));
    const pair = await until('the result in the pairs', async () => {
      const { json } = await harness.call('GET', '/api/v1/pairs');
      const found = json.pairs.find(
        (entry: { monitor: string; sensor: string }) =>
          entry.monitor === 'a' && entry.sensor === 'b',
      );
      return found?.count === 1 ? found : undefined;
    });
    expect(pair).toMatchObject({
      inScope: true,
      lastBitsPerSecond: 5e8,
      lastRttMs: 0.2,
      pinned: false,
      lastMeasuredMs: expect.any(Number),
    });
    // The same figures on /metrics, in base units, for Prometheus (no token needed there).
    const metrics = (await harness.call('GET', '/metrics')).text;
    const labels = `cluster="${harness.cluster}",monitor="a",sensor="b"`;
    expect(metrics).toContain(`meshmon_pair_throughput_bits_per_second{${labels}} 500000000`);
    expect(metrics).toContain(`meshmon_pair_rtt_seconds{${labels}} 0.0002`);
    expect(metrics).toContain(
      `meshmon_pair_last_measured_timestamp_seconds{${labels}} ${pair.lastMeasuredMs / 1000}`,
    );
    expect(metrics).toContain(
      `meshmon_measurements_total{cluster="${harness.cluster}",outcome="ok"} 1`,
    );
    // And its clients' state, as every service reports it (the service runtime's).
    expect(metrics).toMatch(/meshmon_nats_connected\{service="gateway",node="[^"]+"\} 1/);
    expect(metrics).toMatch(/meshmon_redis_connected\{service="gateway",node="[^"]+"\} 1/);
    const { json } = await harness.call('GET', '/api/v1/pairs');
    expect(json.pairs).toHaveLength(6);
    const partners = (await harness.call('GET', '/api/v1/nodes')).json.nodes.map(
      (node: { partner: string | null }) => node.partner,
    );
    expect(partners).toEqual([null, null, null]);
  });

  it('view - coverage counts from the scheduler run and outliers name the slow node', async () => {
    harness.publishEvent('a', { type: 'scheduler-started', runId: 'run-7', algorithm: 'tts' });
    await until('the run in coverage', async () => {
      const { json } = await harness.call('GET', '/api/v1/coverage');
      return json.runId === 'run-7' ? json : undefined;
    });
    const nodes = ['a', 'b', 'c', 'd'];
    await knowNodes(harness, nodes);
    for (const monitor of nodes) {
      for (const sensor of nodes) {
        if (monitor === sensor) continue;
        const slow = monitor === 'd' || sensor === 'd';
        harness.publishResult(
          goodResult(harness.cluster, monitor, sensor, Date.now(), slow ? 1e8 : 1e9),
        );
      }
    }

    const coverage = await until('full coverage', async () => {
      const { json } = await harness.call('GET', '/api/v1/coverage');
      return json.coverage === 1 ? json : undefined;
    });
    expect(coverage).toMatchObject({
      algorithm: 'tts',
      nodes: 4,
      pairsInScope: 12,
      pairsMeasured: 12,
      timeToFullCoverageMs: expect.any(Number),
      fairness: 0,
    });

    const outliers = await harness.call('GET', '/api/v1/outliers?metric=throughput');
    expect(outliers.status).toBe(200);
    expect(outliers.json).toMatchObject({
      metric: 'throughput',
      threshold: 0.75,
      rule: expect.stringContaining('0.75'),
    });
    expect(outliers.json.nodes).toEqual([
      { node: 'd', role: null, median: 1e8, clusterMedian: 1e9, ratio: 0.1 },
    ]);
    expect(outliers.json.pairs.length).toBe(6);
    const rtt = await harness.call('GET', '/api/v1/outliers?metric=rtt&threshold=2');
    expect(rtt.json).toMatchObject({ metric: 'rtt', threshold: 2, nodes: [], pairs: [] });

    // The same on /metrics: coverage of the run, its full-coverage time, the outlier, and the
    // checker's conflicts (these made-up results all share one interval, so on every node
    // they overlap: the checker must say so).
    const metrics = (await harness.call('GET', '/metrics')).text;
    const cluster = `cluster="${harness.cluster}"`;
    expect(metrics).toContain(`meshmon_coverage_ratio{${cluster}} 1`);
    expect(metrics).toContain(`meshmon_pairs_in_scope{${cluster}} 12`);
    expect(metrics).toContain(
      `meshmon_full_coverage_seconds{${cluster}} ${coverage.timeToFullCoverageMs / 1000}`,
    );
    expect(metrics).toContain(`meshmon_node_outlier{${cluster},node="d",metric="throughput"} 1`);
    // One cycle over all 12 pairs, as long as the run took to full coverage; the next is empty.
    expect(metrics).toContain(`meshmon_cycles_completed{${cluster}} 1`);
    expect(metrics).toContain(
      `meshmon_last_cycle_seconds{${cluster}} ${coverage.timeToFullCoverageMs / 1000}`,
    );
    expect(metrics).toContain(`meshmon_cycle_coverage_ratio{${cluster}} 0`);
    expect(metrics).toMatch(new RegExp(`meshmon_conflicts\\{${cluster}\\} [1-9]\\d*\\n`));
  });

  it('flows - flow maps on NATS become the passive figures of GET /api/v1/flows', async () => {
    const map = (node: string, observedAtMs: number, tcp: number) =>
      encodeFlowMap({
        v: 1,
        cluster: harness.cluster,
        node,
        addresses: ['10.1.0.1'],
        observedAtMs,
        intervalMs: 5000,
        peers: [
          { node: 'b', tcp, udp: 0, conntrack: 2 },
          { node: 'c', tcp: 0, udp: 0, conntrack: 0 },
        ],
        unknownFlows: 0,
        ignoredFlows: 4,
        conntrack: 'available',
      });
    const now = Date.now();
    harness.nats.publish(harness.subjects.flows('a'), map('a', now, 3));
    // An older map of the same node, arriving late, does not replace the newer one.
    harness.nats.publish(harness.subjects.flows('a'), map('a', now - 10_000, 9));
    harness.nats.publish(harness.subjects.flows('a'), '{not a flow map');

    const flows = await until('the flows listed', async () => {
      const { json } = await harness.call('GET', '/api/v1/flows');
      return json.flows.length > 0 ? json.flows : undefined;
    });
    // Only peers with traffic; c has none.
    expect(flows).toEqual([
      { node: 'a', peer: 'b', tcp: 3, udp: 0, conntrack: 2, lastSeenMs: now, intervalMs: 5000 },
    ]);
    const unauthorised = await fetch(`${harness.gateway.url}/api/v1/flows`);
    expect(unauthorised.status).toBe(401);
  });

  it('events - a client receives published events and results as SSE, filtered by type', async () => {
    let opened = false;
    const reading = readEvents(
      `${harness.gateway.url}/api/v1/events?types=member-joined,result`,
      { authorization: `Bearer ${HARNESS_TOKEN}` },
      (frames) => frames.length >= 2,
      () => {
        opened = true;
      },
    );
    await until('the stream to open', () => (opened ? true : undefined));
    await until('the SSE client to count', async () => {
      const metrics = (await harness.call('GET', '/metrics')).text;
      return /meshmon_gateway_sse_clients 1/.test(metrics) ? true : undefined;
    });
    harness.publishEvent('a', { type: 'role-switched', node: 'a', role: 'sensor' });
    harness.publishEvent('a', { type: 'member-joined', node: 'a', member: 'e' });
    harness.publishResult(goodResult(harness.cluster, 'a', 'e'));

    const frames = await reading;

    expect(frames[0]).toMatch(/^event: member-joined\ndata: \{.*"member":"e"/);
    expect(frames[1]).toMatch(/^event: result\ndata: \{.*"sensor":"e"/);
    expect(JSON.parse(frames[1].split('data: ')[1]).cluster).toBe(harness.cluster);
  });
});

import type {
  MeasurementResult,
  SchedulerEventMessage,
  ServiceEvent,
  ServiceName,
} from '@meshmon/contracts';
import { LiveView } from './live-view.js';

const event = (
  node: string,
  atMs: number,
  body: ServiceEvent,
  service: ServiceName = 'controller',
): SchedulerEventMessage => ({ v: 1, cluster: 'c1', node, service, atMs, event: body });

function result(monitor: string, sensor: string, endMs: number, ok = true): MeasurementResult {
  const facts = {
    v: 1 as const,
    measurementId: `${monitor}-${sensor}-${endMs}`,
    cluster: 'c1',
    monitor,
    sensor,
    algorithm: 'cps' as const,
    tool: 'iperf3-tcp' as const,
    startedAtMs: endMs - 1000,
    endedAtMs: endMs,
    parameters: { seconds: 1, protocol: 'tcp' as const },
  };
  const throughput = {
    bitsPerSecond: 1e9,
    bytes: 125_000_000,
    retransmits: 0,
    jitterMs: null,
    lostPercent: null,
  };
  const rtt = { minMs: 0.1, avgMs: 0.2, maxMs: 0.3, mdevMs: 0.01, lossPercent: 0 };
  return ok
    ? {
        ...facts,
        ok: true,
        fencingToken: 1,
        throughput,
        rtt,
        cpu: { clientPercent: 1, serverPercent: 1 },
      }
    : {
        ...facts,
        ok: false,
        fencingToken: 0,
        throughput: null,
        rtt: null,
        cpu: null,
        error: { code: 'probe-failed', message: 'x' },
      };
}

describe(LiveView.name, () => {
  let sut: LiveView;

  beforeEach(() => {
    sut = new LiveView();
  });

  it('view - learns nodes from service-started, member-joined and results, with last seen', () => {
    sut.applyEvent(event('a', 1000, { type: 'service-started' }, 'monitor'));
    sut.applyEvent(event('a', 1100, { type: 'member-joined', node: 'a', member: 'b' }));
    sut.applyResult(result('a', 'c', 2000));

    expect(sut.nodes().map((node) => [node.node, node.lastSeenMs])).toEqual([
      ['a', 2000],
      ['b', 1100],
      ['c', 2000],
    ]);
    expect(sut.nodes()[0].services).toEqual({ monitor: 2000, controller: 1100 });
  });

  it('view - the result sink and the gateway report events but are not nodes', () => {
    sut.applyEvent(event('sink', 1000, { type: 'service-started' }, 'result-sink'));
    sut.applyEvent(event('gw', 1000, { type: 'service-started' }, 'gateway'));
    sut.applyEvent(event('a', 1000, { type: 'service-started' }, 'flow-discovery'));

    expect(sut.nodes().map((node) => node.node)).toEqual(['a']);
  });

  it('view - takes roles from role-switched and drops removed members', () => {
    sut.applyEvent(event('a', 1, { type: 'role-switched', node: 'a', role: 'monitor' }));
    sut.applyEvent(event('b', 2, { type: 'role-switched', node: 'b', role: 'sensor' }));
    sut.applyEvent(
      event('a', 3, { type: 'member-removed', node: 'a', member: 'b', reason: 'liveness' }),
    );

    expect(sut.nodes().map((node) => [node.node, node.role])).toEqual([['a', 'monitor']]);
  });

  it('view - a granted slot makes partners until the pair’s result arrives', () => {
    sut.applyEvent(
      event('s', 10, { type: 'slot-granted', monitor: 'm', sensor: 's', fencingToken: 1 }),
    );
    expect(sut.nodes().map((node) => node.partner)).toEqual(['s', 'm']);

    sut.applyResult(result('m', 's', 20));
    expect(sut.nodes().map((node) => node.partner)).toEqual([null, null]);
  });

  it('view - lease expiry and probe failure end a partnership, but not a later one', () => {
    sut.applyEvent(
      event('s', 10, { type: 'slot-granted', monitor: 'm', sensor: 's', fencingToken: 1 }),
    );
    sut.applyEvent(
      event('s', 11, { type: 'lease-expired', monitor: 'm', sensor: 's', fencingToken: 1 }),
    );
    expect(sut.nodes().every((node) => node.partner === null)).toBe(true);

    sut.applyEvent(
      event('s', 12, { type: 'slot-granted', monitor: 'm', sensor: 's', fencingToken: 2 }),
    );
    sut.applyEvent(
      event('t', 13, { type: 'slot-granted', monitor: 'm', sensor: 't', fencingToken: 3 }),
    );
    sut.applyEvent(
      event(
        'm',
        14,
        {
          type: 'probe-failed',
          monitor: 'm',
          sensor: 's',
          measurementId: 'x',
          code: 'probe-failed',
          message: 'no',
        },
        'monitor',
      ),
    );
    expect(sut.nodes().map((node) => [node.node, node.partner])).toEqual([
      ['m', 't'],
      ['s', null],
      ['t', 'm'],
    ]);
  });

  it('view - counts every result, keeps figures of good ones only', () => {
    sut.applyResult(result('a', 'b', 1000));
    sut.applyResult(result('a', 'b', 2000, false));

    expect(sut.pairStats('a', 'b')).toEqual({
      count: 2,
      lastMeasuredMs: 2000,
      lastBitsPerSecond: 1e9,
      lastRttMs: 0.2,
      lastLossRatio: 0,
      lastJitterMs: null,
    });
    expect(sut.pairStats('b', 'a')).toBeUndefined();
    expect(sut.outcomes()).toEqual(
      new Map([
        ['ok', 1],
        [expect.any(String), 1],
      ]),
    );
  });

  it('view - the checker counts good results that overlap on a node, none when they follow each other', () => {
    // Each lasts 1 s up to its end: a>b and c>d side by side, then b>c right after both.
    sut.applyResult(result('a', 'b', 2000));
    sut.applyResult(result('c', 'd', 2000));
    sut.applyResult(result('b', 'c', 3000));
    expect(sut.coverage.conflicts()).toBe(0);

    // c measures a (2500-3500) while b still measures c (2000-3000): c is in two at once.
    sut.applyResult(result('c', 'a', 3500));
    expect(sut.coverage.conflicts()).toBe(1);
  });

  it('view - ignores nodes beyond its cap and counts them', () => {
    sut = new LiveView({ maxNodes: 2, maxCoverageRecords: 10, maxHistory: 4 });
    for (const node of ['a', 'b', 'c']) sut.applyEvent(event(node, 1, { type: 'service-started' }));

    expect(sut.nodeCount).toBe(2);
    expect(sut.ignoredNodes).toBe(1);
  });

  it('view - coverage runs from scheduler-started and reaches 1 once every pair is measured', () => {
    for (const node of ['a', 'b']) sut.applyEvent(event(node, 0, { type: 'service-started' }));
    sut.applyEvent(
      event('a', 10_000, { type: 'scheduler-started', runId: 'run-1', algorithm: 'cps' }),
    );
    sut.applyResult(result('a', 'b', 5_000));
    sut.applyResult(result('a', 'b', 14_000));

    const half = sut.coverageNow(null, 20_000);
    expect(half).toMatchObject({ runId: 'run-1', algorithm: 'cps', startedAtMs: 10_000, nodes: 2 });
    expect(half).toMatchObject({
      pairsInScope: 2,
      pairsMeasured: 1,
      coverage: 0.5,
      timeToFullCoverageMs: null,
    });

    sut.applyResult(result('b', 'a', 30_000));
    const full = sut.coverageNow(null, 30_000);
    expect(full).toMatchObject({
      coverage: 1,
      pairsMeasured: 2,
      timeToFullCoverageMs: 20_000,
      fairness: 0,
    });
    expect(full.meanWaitMs).toBeGreaterThan(0);
  });

  it('view - coverage in intents mode counts only the pairs in scope', () => {
    for (const node of ['a', 'b', 'c']) sut.applyEvent(event(node, 0, { type: 'service-started' }));
    sut.applyResult(result('a', 'b', 1_000));
    const scope = { pairs: new Map([['a\u0000b', { monitor: 'a', sensor: 'b', sinceMs: 0 }]]) };

    expect(sut.coverageNow(scope, 2_000)).toMatchObject({
      pairsInScope: 1,
      coverage: 1,
      timeToFullCoverageMs: 1_000,
    });
  });

  it('view - the coverage history keeps its span when it halves', () => {
    sut = new LiveView({ maxNodes: 8, maxCoverageRecords: 10, maxHistory: 4 });
    for (let at = 1; at <= 5; at += 1) sut.coverage.sample(at * 1000, at / 10);

    expect(sut.coverageNow(null, 6000).history.map((point) => point.atMs)).toEqual([2000, 4000]);
  });

  it('view - the version moves with every change', () => {
    const before = sut.version;
    sut.applyEvent(event('a', 1, { type: 'service-started' }));

    expect(sut.version).toBeGreaterThan(before);
  });
});

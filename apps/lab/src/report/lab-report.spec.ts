import { formatLabReport } from './format-report.js';
import type { MeasurementResult } from '@meshmon/contracts';
import { buildLabReport, type LabNodeSpan, type LabRunFacts } from './lab-report.js';

const START_MS = 1_700_000_000_000;
const PROBE_SECONDS = 5;
const FAST = 500e6;

interface Shape {
  readonly monitor: string;
  readonly sensor: string;
  /** Seconds after the start of the run. */
  readonly from: number;
  readonly to: number;
  readonly ok?: boolean;
  readonly bitsPerSecond?: number;
  readonly rttMs?: number | null;
  /** False: refused its lease, so it ran nothing (fencing token 0). */
  readonly leased?: boolean;
}

let nextId = 0;

/** A result as the monitor publishes it, with only the fields the report reads varied. */
function result(shape: Shape): MeasurementResult {
  nextId += 1;
  const facts = {
    v: 1 as const,
    measurementId: `m${nextId}`,
    cluster: 'lab',
    monitor: shape.monitor,
    sensor: shape.sensor,
    algorithm: 'cps' as const,
    tool: 'iperf3-tcp' as const,
    startedAtMs: START_MS + shape.from * 1000,
    endedAtMs: START_MS + shape.to * 1000,
    parameters: { seconds: PROBE_SECONDS, protocol: 'tcp' as const },
  };
  const throughput = {
    bitsPerSecond: shape.bitsPerSecond ?? FAST,
    bytes: 1_000_000,
    retransmits: 0,
    jitterMs: null,
    lostPercent: null,
  };
  const rttMs = shape.rttMs === undefined ? 0.05 : shape.rttMs;
  const rtt =
    rttMs === null ? null : { minMs: rttMs, avgMs: rttMs, maxMs: rttMs, mdevMs: 0, lossPercent: 0 };
  if (shape.ok === false) {
    return {
      ...facts,
      ok: false,
      fencingToken: shape.leased === false ? 0 : nextId,
      throughput,
      rtt,
      cpu: null,
      error: { code: 'probe-failed', message: 'iperf3 exited with 1' },
    };
  }
  return {
    ...facts,
    ok: true,
    fencingToken: nextId,
    throughput,
    rtt,
    cpu: { clientPercent: 10, serverPercent: 12 },
  };
}

const node = (name: string, joinedAtSeconds = 0, present = true): LabNodeSpan => ({
  name,
  joinedAtSeconds,
  present,
});

function facts(nodes: readonly LabNodeSpan[], results: readonly MeasurementResult[]): LabRunFacts {
  return {
    algorithm: 'cps',
    probeSeconds: PROBE_SECONDS,
    startedAtMs: START_MS,
    durationSeconds: 100,
    nodes,
    results,
    eventCounts: { 'slot-granted': 7 },
  };
}

/** All six pairs of n1..n3 one after another, events of 6 and 7 s by turns, ending at 39. */
function sixPairsInTurn(): MeasurementResult[] {
  const pairs = [
    ['n1', 'n2'],
    ['n2', 'n3'],
    ['n3', 'n1'],
    ['n2', 'n1'],
    ['n3', 'n2'],
    ['n1', 'n3'],
  ];
  let at = 0;
  return pairs.map(([monitor, sensor], i) => {
    const length = i % 2 === 0 ? 6 : 7;
    at += length;
    return result({ monitor, sensor, from: at - length, to: at });
  });
}

const THREE = [node('n1'), node('n2'), node('n3')];

describe(buildLabReport.name, () => {
  beforeEach(() => {
    nextId = 0;
  });

  it("lab report - a stop and another run during the lab's own are named once each; its own run and the time after are not", () => {
    const at = (seconds: number) => START_MS + seconds * 1000;
    const events = [
      { type: 'scheduler-started', atMs: at(1), runId: 'own', algorithm: 'cps' },
      { type: 'scheduler-started', atMs: at(1.2), runId: 'own', algorithm: 'cps' },
      // Every service reports the stop: the first report counts.
      { type: 'scheduler-stopped', atMs: at(42.5), runId: 'own' },
      { type: 'scheduler-stopped', atMs: at(42.1), runId: 'own' },
      { type: 'scheduler-started', atMs: at(60), runId: 'other', algorithm: 'tts' },
      // Before the start and after the end (the lab's own clean-up): not during the run.
      { type: 'scheduler-stopped', atMs: at(-5), runId: 'earlier' },
      { type: 'scheduler-stopped', atMs: at(101), runId: 'other' },
    ];

    const report = buildLabReport({
      ...facts(THREE, sixPairsInTurn()),
      schedulerRun: { runId: 'own', events },
    });

    expect(report.outsideSchedulerChanges).toEqual([
      { change: 'stopped', runId: 'own', algorithm: null, atSeconds: expect.closeTo(42.1, 6) },
      { change: 'started', runId: 'other', algorithm: 'tts', atSeconds: 60 },
    ]);
    const text = formatLabReport(report, null).split('\n');
    expect(text.slice(0, 2)).toEqual([
      "CHANGED FROM OUTSIDE      the scheduler was stopped at 42.1 s (run own): the figures after that are not of the lab's run",
      "CHANGED FROM OUTSIDE      another run was started at 60.0 s (run other, tts): the figures after that are not of the lab's run",
    ]);
  });

  it('lab report - nothing changed from outside: no such line', () => {
    const report = buildLabReport({
      ...facts(THREE, sixPairsInTurn()),
      schedulerRun: {
        runId: 'own',
        events: [{ type: 'scheduler-started', atMs: START_MS + 1000, runId: 'own' }],
      },
    });

    expect(report.outsideSchedulerChanges).toEqual([]);
    expect(formatLabReport(report, null)).not.toContain('CHANGED FROM OUTSIDE');
  });

  it('lab report - full coverage is when the last pair was first measured', () => {
    const sut = buildLabReport(facts(THREE, sixPairsInTurn()));

    expect(sut).toMatchObject({
      algorithm: 'cps',
      nodes: 3,
      pairs: 6,
      measurements: 6,
      failedMeasurements: 0,
      durationSeconds: 100,
      probeSeconds: PROBE_SECONDS,
      fullCoverageSeconds: 39,
      coveredFraction: 1,
      conflicts: 0,
      outliers: [],
      eventCounts: { 'slot-granted': 7 },
    });
  });

  it('lab report - the floor is N(N-1) probes, floor(N/2) at a time', () => {
    expect(buildLabReport(facts(THREE, [])).floorSeconds).toBe(6 * PROBE_SECONDS);
    const four = [...THREE, node('n4')];
    expect(buildLabReport(facts(four, [])).floorSeconds).toBe((12 / 2) * PROBE_SECONDS);
  });

  it('lab report - the event overhead is the mean event time less the probe time', () => {
    const sut = buildLabReport(facts(THREE, sixPairsInTurn()));

    expect(sut.meanEventSeconds).toBeCloseTo(6.5, 9);
    expect(sut.meanEventOverheadSeconds).toBeCloseTo(1.5, 9);
  });

  it('lab report - without a completed measurement there is no event time and no coverage', () => {
    const sut = buildLabReport(facts(THREE, []));

    expect(sut).toMatchObject({
      measurements: 0,
      meanEventSeconds: null,
      meanEventOverheadSeconds: null,
      fullCoverageSeconds: null,
      coveredFraction: 0,
      throughputBps: {},
      rttMs: {},
    });
  });

  it('lab report - counts failed measurements but never lets them cover a pair', () => {
    const results = sixPairsInTurn();
    results.splice(5, 1); // n1 -> n3, the last pair, is measured only by a failed probe
    results.push(
      result({ monitor: 'n1', sensor: 'n3', from: 40, to: 45, ok: false, bitsPerSecond: 1 }),
    );

    const sut = buildLabReport(facts(THREE, results));

    expect(sut).toMatchObject({
      measurements: 5,
      failedMeasurements: 1,
      fullCoverageSeconds: null,
      coveredFraction: 5 / 6,
    });
    // Their figures stay out of the matrices and the event time too.
    expect(sut.throughputBps.n1?.n3).toBeUndefined();
    expect(sut.meanEventSeconds).toBeCloseTo((6 + 7 + 6 + 7 + 6) / 5, 9);
  });

  it('lab report - a failed measurement overlapping a completed one at a node is a conflict', () => {
    const failed = result({ monitor: 'n1', sensor: 'n2', from: 0, to: 6, ok: false });
    const overlapping = result({ monitor: 'n3', sensor: 'n1', from: 4, to: 10 });

    const sut = buildLabReport(facts(THREE, [failed, overlapping]));

    expect(sut.conflicts).toBe(1);
    expect(sut.conflictReport.listed).toEqual([
      {
        node: 'n1',
        first: { monitor: 'n1', sensor: 'n2', startSeconds: 0, endSeconds: 6, tool: 'iperf3' },
        second: { monitor: 'n3', sensor: 'n1', startSeconds: 4, endSeconds: 10, tool: 'iperf3' },
        overlapSeconds: 2,
      },
    ]);
  });

  it('lab report - a measurement refused its lease ran nothing, so it overlaps nothing', () => {
    const refused = result({
      monitor: 'n1',
      sensor: 'n2',
      from: 4,
      to: 4.01,
      ok: false,
      leased: false,
    });
    const running = result({ monitor: 'n3', sensor: 'n2', from: 0, to: 10 });

    const sut = buildLabReport(facts(THREE, [running, refused]));

    expect(sut.conflicts).toBe(0);
    expect(sut.failedMeasurements).toBe(1);
  });

  it('lab report - in discovery mode only the intents count, each from when it became one', () => {
    const results = [
      result({ monitor: 'n1', sensor: 'n2', from: 10, to: 12 }),
      result({ monitor: 'n3', sensor: 'n1', from: 12, to: 14 }),
      result({ monitor: 'n2', sensor: 'n1', from: 30, to: 32 }),
    ];
    const intents = [
      { monitor: 'n1', sensor: 'n2', sinceMs: START_MS + 5000 },
      { monitor: 'n2', sensor: 'n1', sinceMs: START_MS + 20_000 },
    ];

    const sut = buildLabReport({ ...facts(THREE, results), intents });

    expect(sut.pairs).toBe(2);
    expect(sut.fullCoverageSeconds).toBe(32);
    expect(sut.coveredFraction).toBe(1);
  });

  it('lab report - back-to-back measurements at one node are no conflict', () => {
    const sut = buildLabReport(
      facts(THREE, [
        result({ monitor: 'n1', sensor: 'n2', from: 0, to: 6 }),
        result({ monitor: 'n3', sensor: 'n1', from: 6, to: 12 }),
      ]),
    );

    expect(sut.conflicts).toBe(0);
  });

  it('lab report - a joined node`s pairs count only from when it joined', () => {
    const nodes = [node('n1'), node('n2'), node('n3', 50)];
    const early = [
      result({ monitor: 'n1', sensor: 'n2', from: 0, to: 6 }),
      result({ monitor: 'n2', sensor: 'n1', from: 6, to: 12 }),
      // Before n3 joined: these do not cover its pairs.
      result({ monitor: 'n1', sensor: 'n3', from: 12, to: 18 }),
      result({ monitor: 'n3', sensor: 'n1', from: 18, to: 24 }),
      result({ monitor: 'n2', sensor: 'n3', from: 24, to: 30 }),
      result({ monitor: 'n3', sensor: 'n2', from: 30, to: 36 }),
    ];
    const late = [
      result({ monitor: 'n1', sensor: 'n3', from: 50, to: 56 }),
      result({ monitor: 'n3', sensor: 'n1', from: 56, to: 62 }),
      result({ monitor: 'n2', sensor: 'n3', from: 62, to: 68 }),
      result({ monitor: 'n3', sensor: 'n2', from: 68, to: 74 }),
    ];

    const before = buildLabReport(facts(nodes, early));
    expect(before.fullCoverageSeconds).toBeNull();
    expect(before.coveredFraction).toBeCloseTo(2 / 6, 9);

    const after = buildLabReport(facts(nodes, [...early, ...late]));
    expect(after.fullCoverageSeconds).toBe(74);
  });

  it('lab report - leaves nodes gone by the end out of pairs, floor and outliers', () => {
    const gone = node('n4', 0, false);
    const results = [
      ...sixPairsInTurn(),
      // n4 was very slow while it was there; it must not be named, nor its pairs awaited.
      result({ monitor: 'n4', sensor: 'n1', from: 40, to: 46, bitsPerSecond: 1e6 }),
      result({ monitor: 'n2', sensor: 'n4', from: 46, to: 52, bitsPerSecond: 1e6 }),
    ];

    const sut = buildLabReport(facts([...THREE, gone], results));

    expect(sut).toMatchObject({
      nodes: 3,
      pairs: 6,
      fullCoverageSeconds: 39,
      coveredFraction: 1,
      floorSeconds: 6 * PROBE_SECONDS,
      outliers: [],
    });
  });

  it('lab report - a measurement that ends after the run does not cover its pair', () => {
    const results = sixPairsInTurn();
    results[5] = result({ monitor: 'n1', sensor: 'n3', from: 98, to: 104 });

    expect(buildLabReport(facts(THREE, results)).fullCoverageSeconds).toBeNull();
  });

  it('lab report - the matrices hold the mean figures of completed measurements per pair', () => {
    const sut = buildLabReport(
      facts(THREE, [
        result({ monitor: 'n1', sensor: 'n2', from: 0, to: 6, bitsPerSecond: 400e6, rttMs: 0.1 }),
        result({ monitor: 'n1', sensor: 'n2', from: 6, to: 12, bitsPerSecond: 200e6, rttMs: 0.3 }),
        result({
          monitor: 'n2',
          sensor: 'n1',
          from: 12,
          to: 18,
          bitsPerSecond: 100e6,
          rttMs: null,
        }),
      ]),
    );

    expect(sut.throughputBps).toEqual({ n1: { n2: 300e6 }, n2: { n1: 100e6 } });
    expect(sut.rttMs.n1.n2).toBeCloseTo(0.2, 9);
    expect(sut.rttMs.n2).toBeUndefined();
  });

  it('lab report - names a node whose every pair is slow', () => {
    const four = [...THREE, node('n4')];
    const results: MeasurementResult[] = [];
    let at = 0;
    for (const monitor of ['n1', 'n2', 'n3', 'n4'])
      for (const sensor of ['n1', 'n2', 'n3', 'n4']) {
        if (monitor === sensor) continue;
        const slow = monitor === 'n2' || sensor === 'n2';
        results.push(
          result({ monitor, sensor, from: at, to: at + 6, bitsPerSecond: slow ? FAST / 5 : FAST }),
        );
        at += 6;
      }

    const sut = buildLabReport(facts(four, results));

    expect(sut.outliers).toEqual(['n2']);
    expect(sut.outlierDetails).toEqual([
      { node: 'n2', metric: 'throughput', nodeMedian: FAST / 5, clusterMedian: FAST },
    ]);
    expect(sut.fullCoverageSeconds).toBe(72);
  });
});

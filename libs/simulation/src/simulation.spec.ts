import fc from 'fast-check';
import { checkConflicts, type MeasurementRecord } from '@meshmon/analysis';
import { ALGORITHM_NAMES, type AlgorithmName } from '@meshmon/scheduling';
import { churnProblem, type ChurnEvent } from './churn-spec.js';
import { Simulation, simulate, type SimulationOptions } from './simulation.js';

const EVENT_SECONDS = 13.45;

/**
 * fast-check seed for the two whole-system properties: pinned so that CI runs the same
 * cases every time. Seed 1 is the one that found the CPS ping/pong storm after a lossy
 * join (now fixed, with its two cases kept below as regression tests).
 */
const PROPERTY_SEED = 1;

const names = (nodes: number): string[] => Array.from({ length: nodes }, (_, i) => `n${i + 1}`);

/** Runs one simulation and keeps every completed measurement and every scheduler event. */
function observe(options: Omit<SimulationOptions, 'onMeasurement' | 'onEvent'>) {
  const records: MeasurementRecord[] = [];
  const events: { type: string; atSeconds: number }[] = [];
  const result = new Simulation({
    ...options,
    onMeasurement: (record) => records.push(record),
    onEvent: (event, atSeconds) => events.push({ type: event.type, atSeconds }),
  }).run();
  return { result, records, events };
}

interface ChurnStep {
  readonly kind: 'join-new' | 'leave' | 'crash' | 'rejoin';
  readonly pick: number;
  readonly gapSeconds: number;
}

const churnStep: fc.Arbitrary<ChurnStep> = fc.record({
  kind: fc.constantFrom('join-new' as const, 'leave' as const, 'crash' as const, 'rejoin' as const),
  pick: fc.nat({ max: 1000 }),
  gapSeconds: fc.integer({ min: 1, max: 600 }),
});

/**
 * Turns random steps into a valid churn list: new nodes are n9, n10...; only present nodes
 * leave or crash (never below two present); only absent ones rejoin. Stops at `untilSeconds`.
 */
function buildChurn(
  nodes: number,
  steps: readonly ChurnStep[],
  untilSeconds: number,
): ChurnEvent[] {
  const present = names(nodes);
  const absent: string[] = [];
  let nextNew = 9;
  let at = 0;
  const churn: ChurnEvent[] = [];
  for (const step of steps) {
    at += step.gapSeconds;
    if (at >= untilSeconds) break;
    if (step.kind === 'join-new') {
      const node = `n${nextNew++}`;
      present.push(node);
      churn.push({ action: 'join', node, atSeconds: at });
    } else if (step.kind === 'rejoin') {
      if (absent.length === 0) continue;
      const [node] = absent.splice(step.pick % absent.length, 1);
      present.push(node);
      churn.push({ action: 'join', node, atSeconds: at });
    } else {
      if (present.length <= 2) continue;
      const [node] = present.splice(step.pick % present.length, 1);
      absent.push(node);
      churn.push({ action: step.kind, node, atSeconds: at });
    }
  }
  if (churnProblem(churn, names(nodes)) !== null) {
    throw new Error(`test generator made invalid churn: ${churnProblem(churn, names(nodes))}`);
  }
  return churn;
}

const describeChurn = (churn: readonly ChurnEvent[]): string =>
  churn.map((e) => `${e.action}:${e.node}@${e.atSeconds}`).join(',');

describe(Simulation.name, () => {
  describe('determinism', () => {
    it.each(ALGORITHM_NAMES)(
      'simulation - %s with the same options and seed logs the same measurements and result',
      (algorithm) => {
        const options = {
          algorithm,
          nodes: 6,
          eventSeconds: EVENT_SECONDS,
          durationSeconds: 1800,
          seed: 7,
          loss: 0.05,
          churn: [
            { action: 'crash', node: 'n2', atSeconds: 600 },
            { action: 'join', node: 'n9', atSeconds: 900 },
          ] as ChurnEvent[],
        };
        const first = observe(options);
        const second = observe(options);
        expect(first.records.length).toBeGreaterThan(0);
        expect(second.records).toEqual(first.records);
        expect(second.events).toEqual(first.events);
        expect(JSON.stringify(second.result)).toBe(JSON.stringify(first.result));
      },
    );

    it('simulation - cps with a different seed logs different measurements', () => {
      const options = {
        algorithm: 'cps' as const,
        nodes: 6,
        eventSeconds: EVENT_SECONDS,
        durationSeconds: 1800,
      };
      const one = observe({ ...options, seed: 1 });
      const two = observe({ ...options, seed: 2 });
      expect(two.records).not.toEqual(one.records);
    });
  });

  describe('the invariant under adversity', () => {
    it('simulation - no node ever takes part in two overlapping measurements, whatever the loss and churn', () => {
      fc.assert(
        fc.property(
          fc.constantFrom<AlgorithmName>(...ALGORITHM_NAMES),
          fc.integer({ min: 4, max: 8 }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.double({ min: 0, max: 0.2, noNaN: true }),
          fc.integer({ min: 1800, max: 3600 }),
          fc.array(churnStep, { maxLength: 8 }),
          (algorithm, nodes, seed, loss, durationSeconds, steps) => {
            const churn = buildChurn(nodes, steps, durationSeconds);
            const { result, records } = observe({
              algorithm,
              nodes,
              seed,
              loss,
              durationSeconds,
              eventSeconds: EVENT_SECONDS,
              churn,
            });
            const context = `${algorithm} N=${nodes} seed=${seed} loss=${loss} churn=${describeChurn(churn)}`;
            expect({ context, conflicts: result.conflicts }).toEqual({ context, conflicts: 0 });
            const recheck = checkConflicts(records);
            expect({ context, conflicts: recheck.conflicts }).toEqual({ context, conflicts: 0 });
            expect(recheck.measurements).toBe(records.length);
          },
        ),
        { numRuns: 25, seed: PROPERTY_SEED },
      );
    });
  });

  describe('coverage under CPS', () => {
    it('simulation - cps eventually measures every pair in scope despite loss and early churn', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 4, max: 8 }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.double({ min: 0, max: 0.1, noNaN: true }),
          fc.array(churnStep, { maxLength: 5 }),
          (nodes, seed, loss, steps) => {
            const churn = buildChurn(nodes, steps, 1200);
            const result = simulate({
              algorithm: 'cps',
              nodes,
              seed,
              loss,
              durationSeconds: 7200,
              eventSeconds: EVENT_SECONDS,
              churn,
            });
            const context = `N=${nodes} seed=${seed} loss=${loss} churn=${describeChurn(churn)}`;
            expect({ context, covered: result.coveredFraction }).toEqual({ context, covered: 1 });
            expect(result.fullCoverageSeconds).not.toBeNull();
          },
        ),
        { numRuns: 10, seed: PROPERTY_SEED },
      );
    });
  });

  describe('reported figures', () => {
    it.each([4, 5, 8])(
      'simulation - the floor for %i nodes is N(N-1)/floor(N/2) events and all N(N-1) pairs are in scope',
      (nodes) => {
        const result = simulate({
          algorithm: 'tts',
          nodes,
          seed: 1,
          durationSeconds: 600,
          eventSeconds: EVENT_SECONDS,
        });
        expect(result.floorSeconds).toBeCloseTo(
          ((nodes * (nodes - 1)) / Math.floor(nodes / 2)) * EVENT_SECONDS,
          9,
        );
        expect(result.pairs).toBe(nodes * (nodes - 1));
        expect(result).toEqual(
          expect.objectContaining({
            algorithm: 'tts',
            nodes,
            seed: 1,
            durationSeconds: 600,
            eventSeconds: EVENT_SECONDS,
          }),
        );
      },
    );

    it('simulation - every completed record is one event long between two distinct members, within the run', () => {
      const nodes = 6;
      const durationSeconds = 1200;
      const { result, records, events } = observe({
        algorithm: 'cps',
        nodes,
        seed: 3,
        durationSeconds,
        eventSeconds: EVENT_SECONDS,
      });
      expect(records).toHaveLength(result.measurements);
      const members = names(nodes);
      for (const record of records) {
        expect(Object.keys(record).sort()).toEqual([
          'endSeconds',
          'monitor',
          'sensor',
          'startSeconds',
        ]);
        expect(members).toContain(record.monitor);
        expect(members).toContain(record.sensor);
        expect(record.monitor).not.toBe(record.sensor);
        expect(record.startSeconds).toBeGreaterThanOrEqual(0);
        expect(record.endSeconds).toBeLessThanOrEqual(durationSeconds);
        // Default jitter is 2 %.
        const length = record.endSeconds - record.startSeconds;
        expect(length).toBeGreaterThanOrEqual(EVENT_SECONDS * 0.98 - 1e-9);
        expect(length).toBeLessThanOrEqual(EVENT_SECONDS * 1.02 + 1e-9);
      }
      for (let i = 1; i < records.length; i++) {
        expect(records[i].endSeconds).toBeGreaterThanOrEqual(records[i - 1].endSeconds);
      }
      // The event counts in the result are exactly the events reported through onEvent.
      const counted: Record<string, number> = {};
      for (const event of events) counted[event.type] = (counted[event.type] ?? 0) + 1;
      expect(result.eventCounts).toEqual(counted);
      expect(result.eventCounts['slot-granted']).toBeGreaterThanOrEqual(records.length);
    });

    it('simulation - a node crash mid-run cuts its probes, breaks nothing and takes its pairs out of scope', () => {
      const nodes = 6;
      const crashAt = 900;
      const { result, records } = observe({
        algorithm: 'cps',
        nodes,
        seed: 5,
        durationSeconds: 2400,
        eventSeconds: EVENT_SECONDS,
        churn: [{ action: 'crash', node: 'n3', atSeconds: crashAt }],
      });
      expect(result.conflicts).toBe(0);
      expect(checkConflicts(records).conflicts).toBe(0);
      const involvesN3 = records.filter((r) => r.monitor === 'n3' || r.sensor === 'n3');
      expect(involvesN3.length).toBeGreaterThan(0);
      for (const record of involvesN3) expect(record.endSeconds).toBeLessThanOrEqual(crashAt);
      // Five survivors: 20 ordered pairs, none with n3, all measured.
      expect(result.pairs).toBe((nodes - 1) * (nodes - 2));
      expect(result.coveredFraction).toBe(1);
      // Scope excludes n3: the survivors' measurements alone make up the count.
      const survivors = records.filter((r) => r.monitor !== 'n3' && r.sensor !== 'n3');
      expect(result.measurements).toBe(survivors.length);
    });
  });

  describe('speed of coverage', () => {
    it('simulation - the timetable covers all pairs of 8 nodes within 1.15 times the floor', () => {
      const result = simulate({
        algorithm: 'tts',
        nodes: 8,
        seed: 1,
        loss: 0,
        durationSeconds: 3600,
        eventSeconds: EVENT_SECONDS,
      });
      expect(result.fullCoverageSeconds).not.toBeNull();
      expect(result.fullCoverageSeconds!).toBeLessThanOrEqual(1.15 * result.floorSeconds);
    });

    // Thesis Table 4 line: 1.1158 x 8 + 0.6904 = 9.62 min = 577 s. Tight: seed 1 reaches full
    // coverage at about 559 s (it was about 1092 s before the CPS selector rework). If it
    // regresses, report the number; do not loosen the bound.
    it('simulation - cps covers all pairs of 8 nodes within the thesis line on seed 1', () => {
      const result = simulate({
        algorithm: 'cps',
        nodes: 8,
        seed: 1,
        durationSeconds: 7200,
        eventSeconds: EVENT_SECONDS,
      });
      const thesisSeconds = (1.1158 * 8 + 0.6904) * 60;
      expect(result.fullCoverageSeconds).not.toBeNull();
      expect(result.fullCoverageSeconds!).toBeLessThanOrEqual(thesisSeconds);
    });
  });

  describe('regressions', () => {
    const joins = (...entries: [string, number][]): ChurnEvent[] =>
      entries.map(([node, atSeconds]) => ({ action: 'join', node, atSeconds }));

    it('simulation - a join whose welcomes were lost does not start a ping storm under CPS (three joins)', () => {
      const result = simulate({
        algorithm: 'cps',
        nodes: 8,
        seed: 1517970664,
        loss: 0.1,
        eventSeconds: EVENT_SECONDS,
        durationSeconds: 7200,
        churn: joins(['n9', 268], ['n10', 570], ['n11', 789]),
      });
      expect(result.conflicts).toBe(0);
      expect(result.coveredFraction).toBe(1);
      expect(result.messagesSent).toBeLessThan(500_000);
    });

    it('simulation - a join whose welcomes were lost does not start a ping storm under CPS (one join)', () => {
      const result = simulate({
        algorithm: 'cps',
        nodes: 8,
        seed: 1861634070,
        loss: 0.2,
        eventSeconds: EVENT_SECONDS,
        durationSeconds: 1805,
        churn: joins(['n9', 572]),
      });
      expect(result.conflicts).toBe(0);
      expect(result.messagesSent).toBeLessThan(200_000);
    });
  });
});

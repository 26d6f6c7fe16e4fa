import fc from 'fast-check';
import { checkConflicts } from './conflict-checker.js';
import { toolsConflict, type MeasurementRecord, type ProbeTool } from './measurement-record.js';

const run = (
  monitor: string,
  sensor: string,
  startSeconds: number,
  endSeconds: number,
  tool?: ProbeTool,
): MeasurementRecord => ({ monitor, sensor, startSeconds, endSeconds, tool });

/** The obvious O(n^2) check: every pair of records sharing a node, overlapping, heavy tools. */
function bruteForceConflicts(records: readonly MeasurementRecord[]): number {
  let conflicts = 0;
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const a = records[i];
      const b = records[j];
      if (!toolsConflict(a.tool ?? 'iperf3', b.tool ?? 'iperf3')) continue;
      if (!(a.startSeconds < b.endSeconds && b.startSeconds < a.endSeconds)) continue;
      const nodesA = [a.monitor, a.sensor];
      const shared = [b.monitor, b.sensor].filter((node) => nodesA.includes(node));
      conflicts += shared.length;
    }
  }
  return conflicts;
}

describe(checkConflicts.name, () => {
  const sut = checkConflicts;

  it('conflict checker - flags a node that monitors in two overlapping iperf3 runs', () => {
    const report = sut([run('a', 'b', 0, 10), run('a', 'c', 5, 15)]);
    expect(report.conflicts).toBe(1);
    expect(report.listed).toEqual([expect.objectContaining({ node: 'a', overlapSeconds: 5 })]);
  });

  it('conflict checker - flags a node that is the sensor of two overlapping iperf3 runs', () => {
    const report = sut([run('a', 'c', 0, 10), run('b', 'c', 9, 20)]);
    expect(report.conflicts).toBe(1);
    expect(report.listed[0].node).toBe('c');
    expect(report.listed[0].overlapSeconds).toBe(1);
  });

  it('conflict checker - flags a node that monitors one run while it is the sensor of another', () => {
    const report = sut([run('a', 'b', 0, 10), run('c', 'a', 3, 4)]);
    expect(report.conflicts).toBe(1);
    expect(report.listed[0]).toEqual(expect.objectContaining({ node: 'a', overlapSeconds: 1 }));
  });

  it('conflict checker - accepts touching intervals where one run ends as the next starts', () => {
    const report = sut([run('a', 'b', 0, 10), run('a', 'c', 10, 20), run('c', 'a', 20, 30)]);
    expect(report).toEqual({ measurements: 3, conflicts: 0, listed: [] });
  });

  it('conflict checker - never flags overlapping runs between disjoint nodes', () => {
    const report = sut([run('a', 'b', 0, 10), run('c', 'd', 0, 10), run('d', 'c', 20, 30)]);
    expect(report.conflicts).toBe(0);
  });

  it('conflict checker - lets ping and traceroute overlap an iperf3 run on the same node', () => {
    const report = sut([
      run('a', 'b', 0, 10, 'iperf3'),
      run('a', 'c', 1, 9, 'ping'),
      run('c', 'a', 2, 8, 'traceroute'),
      run('b', 'a', 3, 7, 'ping'),
    ]);
    expect(report.conflicts).toBe(0);
  });

  it('conflict checker - flags netperf overlapping iperf3 on the same node (thesis Table 3)', () => {
    const report = sut([run('a', 'b', 0, 10, 'iperf3'), run('c', 'b', 5, 12, 'netperf')]);
    expect(report.conflicts).toBe(1);
    expect(report.listed[0].node).toBe('b');
  });

  it('conflict checker - treats a record without a tool as iperf3', () => {
    const report = sut([run('a', 'b', 0, 10), run('a', 'c', 5, 12, 'netperf')]);
    expect(report.conflicts).toBe(1);
  });

  it('conflict checker - counts every conflicting pair: three mutually overlapping runs on one node are 3', () => {
    const report = sut([run('a', 'b', 0, 10), run('a', 'c', 1, 11), run('d', 'a', 2, 12)]);
    expect(report.conflicts).toBe(3);
    expect(report.listed.map((conflict) => conflict.node)).toEqual(['a', 'a', 'a']);
  });

  it('conflict checker - counts a conflict once per shared node when two runs share both nodes', () => {
    const report = sut([run('a', 'b', 0, 10), run('b', 'a', 5, 15)]);
    expect(report.conflicts).toBe(2);
    expect(report.listed.map((conflict) => conflict.node).sort()).toEqual(['a', 'b']);
  });

  it('conflict checker - lists at most maxListed conflicts but counts them all, naming the node', () => {
    const records = Array.from({ length: 6 }, (_, i) => run('hub', `s${i}`, i, 100));
    const report = sut(records, 4);
    expect(report.conflicts).toBe(15);
    expect(report.measurements).toBe(6);
    expect(report.listed).toHaveLength(4);
    for (const conflict of report.listed) {
      expect(conflict.node).toBe('hub');
      expect(conflict.overlapSeconds).toBeGreaterThan(0);
    }
  });

  it('conflict checker - lists conflicts in time order of the later run', () => {
    const report = sut([
      run('a', 'b', 50, 60),
      run('a', 'c', 55, 65),
      run('d', 'e', 0, 10),
      run('d', 'f', 5, 15),
    ]);
    expect(report.listed.map((conflict) => conflict.second.startSeconds)).toEqual([5, 55]);
  });

  it('conflict checker - lists nothing with maxListed 0 and still counts', () => {
    const report = sut([run('a', 'b', 0, 10), run('a', 'c', 5, 15)], 0);
    expect(report.conflicts).toBe(1);
    expect(report.listed).toEqual([]);
  });

  it('conflict checker - reports an empty log as no measurements and no conflicts', () => {
    expect(sut([])).toEqual({ measurements: 0, conflicts: 0, listed: [] });
  });

  it('conflict checker - rejects a node measuring itself with a RangeError naming monitor and sensor', () => {
    expect(() => sut([run('a', 'a', 0, 10)])).toThrow(RangeError);
    expect(() => sut([run('a', 'a', 0, 10)])).toThrow(/monitor and sensor must differ/);
  });

  it('conflict checker - rejects a record ending before it starts with a RangeError naming endSeconds', () => {
    expect(() => sut([run('a', 'b', 10, 5)])).toThrow(RangeError);
    expect(() => sut([run('a', 'b', 10, 5)])).toThrow(/endSeconds must be >= startSeconds/);
  });

  it('conflict checker - rejects a NaN end time as invalid', () => {
    expect(() => sut([run('a', 'b', 0, Number.NaN)])).toThrow(/endSeconds/);
  });

  it('conflict checker - agrees with a brute-force pairwise check on random logs', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'];
    const tools: ProbeTool[] = ['iperf3', 'netperf', 'traceroute', 'ping'];
    const record = fc
      .record({
        monitor: fc.constantFrom(...nodes),
        sensorOffset: fc.integer({ min: 1, max: nodes.length - 1 }),
        start: fc.integer({ min: 0, max: 60 }),
        length: fc.integer({ min: 0, max: 15 }),
        tool: fc.option(fc.constantFrom(...tools), { nil: undefined }),
      })
      .map(({ monitor, sensorOffset, start, length, tool }) =>
        run(
          monitor,
          nodes[(nodes.indexOf(monitor) + sensorOffset) % nodes.length],
          start,
          start + length,
          tool,
        ),
      );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        const report = sut(records, 1000);
        expect(report.conflicts).toBe(bruteForceConflicts(records));
        expect(report.measurements).toBe(records.length);
        expect(report.listed).toHaveLength(report.conflicts);
        for (const conflict of report.listed) {
          expect([conflict.first.monitor, conflict.first.sensor]).toContain(conflict.node);
          expect([conflict.second.monitor, conflict.second.sensor]).toContain(conflict.node);
          expect(conflict.overlapSeconds).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

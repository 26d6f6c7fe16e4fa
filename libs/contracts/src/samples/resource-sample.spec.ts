import { problemsOf, withChanges } from '../testing/decode-helpers.js';
import { decodeResourceSample, encodeResourceSample } from './resource-sample.dto.js';
import { SAMPLE_RESOURCE_SAMPLE } from './resource-sample.fixtures.js';

describe('ResourceSample', () => {
  it('round trip - a sample with every figure', () => {
    const decoded = decodeResourceSample(encodeResourceSample(SAMPLE_RESOURCE_SAMPLE));

    expect(decoded).toEqual({ ok: true, value: SAMPLE_RESOURCE_SAMPLE });
  });

  it("round trip - the daemons' sample: no heap, no event loop, no cgroup, no network", () => {
    const daemons = {
      ...SAMPLE_RESOURCE_SAMPLE,
      service: 'orchestrator' as const,
      cpuPercent: null,
      intervalMs: 0,
      process: {
        ...SAMPLE_RESOURCE_SAMPLE.process,
        processes: 5,
        rssAnonBytes: null,
        heapUsedBytes: null,
        heapTotalBytes: null,
        eventLoopMeanMs: null,
        eventLoopP99Ms: null,
        eventLoopMaxMs: null,
      },
      net: null,
      cgroup: null,
    };

    expect(decodeResourceSample(encodeResourceSample(daemons))).toEqual({
      ok: true,
      value: daemons,
    });
  });

  it.each([
    [
      { run: 'Compare 1' },
      'run',
      'must be 1-64 lower-case letters, digits, _ or -, starting with a letter or digit',
    ],
    [
      { service: 'dockerd' },
      'service',
      'must be one of controller, sensor, monitor, flow-discovery, result-sink, gateway, orchestrator',
    ],
    [{ cpuPercent: -1 }, 'cpuPercent', 'must be a finite number >= 0 or null'],
    [{ intervalMs: 1.5 }, 'intervalMs', 'must be an integer >= 0'],
    [{ net: { rxBytes: 1 } }, 'net.rxPackets', 'must be an integer >= 0'],
  ])('refuses %j naming %s', (change, field, rule) => {
    const problems = problemsOf(decodeResourceSample(withChanges(SAMPLE_RESOURCE_SAMPLE, change)));

    expect(problems).toContainEqual({ field, rule });
  });

  it('refuses a nested figure out of its rule, naming its path', () => {
    const cgroup = { ...SAMPLE_RESOURCE_SAMPLE.cgroup, version: 3, memoryLimitBytes: 0 };
    const process = { ...SAMPLE_RESOURCE_SAMPLE.process, processes: 0 };

    const problems = problemsOf(
      decodeResourceSample(withChanges(SAMPLE_RESOURCE_SAMPLE, { cgroup, process })),
    );

    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'cgroup.version', rule: 'must be 1 or 2' },
        { field: 'cgroup.memoryLimitBytes', rule: 'must be an integer >= 1 or null' },
        { field: 'process.processes', rule: 'must be an integer >= 1' },
      ]),
    );
  });
});

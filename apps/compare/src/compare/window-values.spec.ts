import { agreementValues, windowValues, type SampleRow } from './window-values.js';

const row = (atMs: number, changes: Partial<SampleRow> = {}): SampleRow => ({
  atMs,
  orchestrator: 'container',
  service: 'monitor',
  node: 'node1',
  cpuUs: 0,
  rssBytes: 64 * 1024 * 1024,
  rssAnonBytes: 30e6,
  eventLoopP99Ms: 11,
  netNamespace: 101,
  netBytes: 0,
  cgroupExclusive: true,
  cgroupCpuNs: 0,
  cgroupMemoryAnonBytes: 30e6,
  cgroupMemoryLimitBytes: null,
  ...changes,
});

const WINDOW = { orchestrator: 'container', block: 1, index: 1, startMs: 10_000, endMs: 20_000 };

const valueOf = (values: ReturnType<typeof windowValues>, service: string, metric: string) =>
  values.find((value) => value.service === service && value.metric === metric);

describe(windowValues.name, () => {
  it("window values - CPU as a rate between the first and last sample, summed over a service's nodes", () => {
    const rows = [
      // node1: 0.5 s of CPU in 8 s; node2: 0.25 s in 8 s. Samples outside the window do not count.
      row(5000, { cpuUs: 0 }),
      row(11_000, { cpuUs: 1_000_000 }),
      row(19_000, { cpuUs: 1_500_000 }),
      row(11_000, { node: 'node2', cpuUs: 0, netNamespace: 102 }),
      row(19_000, { node: 'node2', cpuUs: 250_000, netNamespace: 102 }),
    ];

    const values = windowValues(rows, [WINDOW]);

    expect(valueOf(values, 'monitor', 'cpuPercent')?.value).toBeCloseTo(6.25 + 3.125, 9);
    expect(valueOf(values, 'monitor', 'rssMiB')?.value).toBe(128);
    expect(valueOf(values, 'monitor', 'eventLoopP99Ms')?.value).toBe(11);
  });

  it("window values - memory carries its containers' limits together, when each has one", () => {
    const limited = { cgroupMemoryLimitBytes: 256 * 1024 * 1024 };
    const rows = [
      row(11_000, limited),
      row(19_000, limited),
      row(11_000, { ...limited, node: 'node2', netNamespace: 102 }),
      row(19_000, { ...limited, node: 'node2', netNamespace: 102 }),
      row(11_000, { service: 'gateway' }),
      row(19_000, { service: 'gateway' }),
    ];

    const values = windowValues(rows, [WINDOW]);

    expect(valueOf(values, 'monitor', 'rssMiB')).toMatchObject({ value: 128, limit: 512 });
    expect(valueOf(values, 'gateway', 'rssMiB')?.limit).toBeUndefined();
  });

  it("window values - traffic only from a namespace that is the service's alone", () => {
    const own = [row(11_000, { netBytes: 0 }), row(15_000, { netBytes: 40_000 })];
    const shared = [
      row(11_000, { service: 'sensor', netNamespace: 1, netBytes: 0 }),
      row(15_000, { service: 'sensor', netNamespace: 1, netBytes: 4000 }),
      row(11_000, { service: 'gateway', netNamespace: 1, netBytes: 0 }),
      row(15_000, { service: 'gateway', netNamespace: 1, netBytes: 4000 }),
    ];

    const values = windowValues([...own, ...shared], [WINDOW]);

    expect(valueOf(values, 'monitor', 'netKBps')?.value).toBe(10);
    expect(valueOf(values, 'sensor', 'netKBps')).toMatchObject({
      value: null,
      why: expect.stringContaining('shared with other services'),
    });
  });

  it("window values - the monitor's and sensor's traffic carry the bytes of the probes wholly inside their samples as least value", () => {
    const rows = [
      // monitor on node1 samples 11-19 s, on node2 12-18 s: the common span is 12-18 s, the longest 8 s.
      row(11_000, { netBytes: 0 }),
      row(19_000, { netBytes: 100_000 }),
      row(12_000, { node: 'node2', netNamespace: 102, netBytes: 0 }),
      row(18_000, { node: 'node2', netNamespace: 102, netBytes: 50_000 }),
      row(11_000, { service: 'gateway', netNamespace: 103 }),
      row(19_000, { service: 'gateway', netNamespace: 103 }),
    ];
    const probe = { orchestrator: 'container', monitor: 'node1', sensor: 'node2' };
    const probes = [
      { ...probe, startMs: 12_000, endMs: 14_000, bytes: 48_000 },
      {
        ...probe,
        monitor: 'node2',
        sensor: 'node1',
        startMs: 15_000,
        endMs: 18_000,
        bytes: 32_000,
      },
      // Partly outside the common span, another group's, before the window: none counts.
      { ...probe, startMs: 17_000, endMs: 19_000, bytes: 1e9 },
      { ...probe, orchestrator: 'process', startMs: 13_000, endMs: 14_000, bytes: 1e9 },
    ];

    const values = windowValues(rows, [WINDOW], probes);

    // (48 000 + 32 000) bytes over the longest span, 8 s: 10 kB/s.
    expect(valueOf(values, 'monitor', 'netKBps')).toMatchObject({
      value: 12.5 + 50 / 6,
      minimum: 10,
    });
    expect(valueOf(values, 'gateway', 'netKBps')).not.toHaveProperty('minimum');
  });

  it('window values - an instance with fewer than two samples in the window leaves its service without a value', () => {
    const rows = [
      row(11_000),
      row(19_000),
      row(2000, { node: 'node2' }),
      row(12_000, { node: 'node2' }),
      row(30_000, { node: 'node2' }),
    ];

    const values = windowValues(rows, [WINDOW]);

    expect(valueOf(values, 'monitor', 'cpuPercent')).toMatchObject({
      value: null,
      why: '1 of 2 instance(s) without two samples in the window',
    });
  });

  it('window values - a restart mid-window counts from 0 again; daemons have no event loop', () => {
    const rows = [
      // 1 s of CPU, a restart, then 0.5 s and 0.1 s more: 1.6 s in 8 s = 20 %.
      row(11_000, { cpuUs: 5_000_000 }),
      row(13_000, { cpuUs: 6_000_000 }),
      row(15_000, { cpuUs: 500_000 }),
      row(19_000, { cpuUs: 600_000 }),
      row(11_000, { service: 'orchestrator', node: 'host', eventLoopP99Ms: null }),
      row(19_000, { service: 'orchestrator', node: 'host', eventLoopP99Ms: null }),
    ];

    const values = windowValues(rows, [WINDOW]);

    expect(valueOf(values, 'monitor', 'cpuPercent')?.value).toBeCloseTo(20, 9);
    expect(valueOf(values, 'orchestrator', 'eventLoopP99Ms')).toMatchObject({
      value: null,
      why: 'not a Node.js process',
    });
  });
});

describe(agreementValues.name, () => {
  it("agreement - the process's CPU and anonymous memory against its own cgroup's", () => {
    const rows = [
      row(11_000, { cpuUs: 0, cgroupCpuNs: 0, rssAnonBytes: 49e6, cgroupMemoryAnonBytes: 50e6 }),
      row(19_000, {
        cpuUs: 960_000,
        cgroupCpuNs: 1_000_000_000,
        rssAnonBytes: 49e6,
        cgroupMemoryAnonBytes: 50e6,
      }),
      // A group shared with the host: not compared.
      row(11_000, { node: 'node2', cgroupExclusive: false }),
      row(19_000, { node: 'node2', cgroupExclusive: false }),
    ];

    const agreement = agreementValues(rows, [WINDOW]);

    expect(agreement).toHaveLength(1);
    expect(agreement[0].node).toBe('node1');
    expect(agreement[0].cpuDeviation).toBeCloseTo(-0.04, 9);
    expect(agreement[0].memoryDeviation).toBeCloseTo(-0.02, 9);
  });
});

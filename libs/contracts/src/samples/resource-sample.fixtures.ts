import type { ResourceSample } from './resource-sample.dto.js';

/** A valid sample of a result sink in a container (cgroup v1), for the services' tests. */
export const SAMPLE_RESOURCE_SAMPLE: ResourceSample = {
  v: 1,
  sampleId: 'k2b9x1.7',
  cluster: 'lab',
  run: 'live',
  service: 'result-sink',
  node: 'sink-1',
  atMs: 1_765_000_000_000,
  intervalMs: 5003,
  cpuPercent: 1.8,
  process: {
    processes: 1,
    cpuUserUs: 812_000,
    cpuSystemUs: 140_000,
    rssBytes: 91_000_000,
    rssAnonBytes: 52_000_000,
    heapUsedBytes: 21_000_000,
    heapTotalBytes: 30_000_000,
    eventLoopMeanMs: 10.2,
    eventLoopP99Ms: 12.5,
    eventLoopMaxMs: 14.1,
  },
  net: { rxBytes: 123_456, rxPackets: 900, txBytes: 654_321, txPackets: 800 },
  cgroup: {
    version: 1,
    processes: 1,
    cpuUsageNs: 960_000_000,
    cpuUserNs: 810_000_000,
    cpuSystemNs: 150_000_000,
    throttledPeriods: 0,
    throttledNs: 0,
    memoryBytes: 120_000_000,
    memoryAnonBytes: 52_400_000,
    memoryLimitBytes: null,
  },
};

import type { ResourceSample } from '@meshmon/contracts';
import { measurementOffsetNs, nanoTimestamp } from './point-time.js';
import type { TimedPoint } from './result-points.js';
import { MEASUREMENTS, RESOURCE_SAMPLE_FIELDS as F, TAGS } from './schema.js';

type Fields = Record<string, number | string | boolean>;

function put(fields: Fields, name: string, value: number | null): void {
  if (value !== null) fields[name] = value;
}

/**
 * A resource sample as a `resource_samples` point, tagged cluster, run, service, node and
 * orchestrator, all the sample's own (a sample the next deployment's sink stores after a
 * switch keeps where it came from); stamped at the sample's time plus its id's offset, so a sample
 * written twice stays one point. Figures the sample does not have are left out.
 */
export function resourceSamplePoint(sample: ResourceSample): TimedPoint {
  const { process, net, cgroup } = sample;
  const fields: Fields = {
    [F.sampleId]: sample.sampleId,
    [F.intervalMs]: sample.intervalMs,
    [F.processes]: process.processes,
    [F.cpuUserUs]: process.cpuUserUs,
    [F.cpuSystemUs]: process.cpuSystemUs,
    [F.rssBytes]: process.rssBytes,
  };
  put(fields, F.cpuPercent, sample.cpuPercent);
  put(fields, F.rssAnonBytes, process.rssAnonBytes);
  put(fields, F.heapUsedBytes, process.heapUsedBytes);
  put(fields, F.heapTotalBytes, process.heapTotalBytes);
  put(fields, F.eventLoopMeanMs, process.eventLoopMeanMs);
  put(fields, F.eventLoopP99Ms, process.eventLoopP99Ms);
  put(fields, F.eventLoopMaxMs, process.eventLoopMaxMs);
  if (net !== null) {
    put(fields, F.netNamespace, net.namespace);
    fields[F.netRxBytes] = net.rxBytes;
    fields[F.netRxPackets] = net.rxPackets;
    fields[F.netTxBytes] = net.txBytes;
    fields[F.netTxPackets] = net.txPackets;
  }
  if (cgroup !== null) {
    fields[F.cgroupVersion] = cgroup.version;
    put(fields, F.cgroupProcesses, cgroup.processes);
    if (cgroup.exclusive !== null) fields[F.cgroupExclusive] = cgroup.exclusive;
    put(fields, F.cgroupCpuUsageNs, cgroup.cpuUsageNs);
    put(fields, F.cgroupCpuUserNs, cgroup.cpuUserNs);
    put(fields, F.cgroupCpuSystemNs, cgroup.cpuSystemNs);
    put(fields, F.cgroupThrottledPeriods, cgroup.throttledPeriods);
    put(fields, F.cgroupThrottledNs, cgroup.throttledNs);
    put(fields, F.cgroupMemoryBytes, cgroup.memoryBytes);
    put(fields, F.cgroupMemoryAnonBytes, cgroup.memoryAnonBytes);
    put(fields, F.cgroupMemoryLimitBytes, cgroup.memoryLimitBytes);
  }
  return {
    measurement: MEASUREMENTS.resources,
    tags: {
      [TAGS.cluster]: sample.cluster,
      [TAGS.run]: sample.run,
      [TAGS.service]: sample.service,
      [TAGS.node]: sample.node,
      [TAGS.orchestrator]: sample.orchestrator,
    },
    fields,
    timestamp: nanoTimestamp(sample.atMs, measurementOffsetNs(sample.sampleId)),
  };
}

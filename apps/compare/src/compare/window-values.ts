/**
 * From stored samples to one value per window, service and metric: what the statistics
 * compare. Counters (CPU time, bytes) become rates between an instance's first and last
 * sample inside the window; gauges (memory, event-loop delay) are averaged over them.
 * A service's value is its instances' total (every node's monitor together): what the
 * service costs the cluster. Pure, so every rule here is tested on made-up samples.
 */

/** One stored sample, as the report reads it back from resource_samples. */
export interface SampleRow {
  readonly atMs: number;
  readonly orchestrator: string;
  readonly service: string;
  readonly node: string;
  /** User plus system CPU time, cumulative, microseconds. */
  readonly cpuUs: number;
  readonly rssBytes: number;
  readonly rssAnonBytes: number | null;
  readonly eventLoopP99Ms: number | null;
  readonly netNamespace: number | null;
  /** Received plus sent bytes of the namespace, cumulative. */
  readonly netBytes: number | null;
  readonly cgroupExclusive: boolean | null;
  readonly cgroupCpuNs: number | null;
  readonly cgroupMemoryAnonBytes: number | null;
  /** The group's memory limit; null: none (a plain host, or no limit set). */
  readonly cgroupMemoryLimitBytes: number | null;
}

/** One good throughput result of the run, as the sink stored it: the probe's own bytes. */
export interface ProbeRow {
  readonly orchestrator: string;
  readonly monitor: string;
  readonly sensor: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Payload bytes iperf3 reports; the namespace's counters see at least these (plus headers). */
  readonly bytes: number;
}

/** The services whose own traffic includes every probe: the monitor sends it, the sensor receives it. */
const PROBE_ENDS = new Set(['monitor', 'sensor']);

/** One measuring window of one block, as the compare command recorded it. */
export interface MeasuredWindow {
  readonly orchestrator: string;
  readonly block: number;
  /** 1-based within its orchestrator's windows, across blocks. */
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
}

export const METRICS = {
  cpuPercent: { unit: '% of one core', label: 'CPU' },
  rssMiB: { unit: 'MiB', label: 'resident memory' },
  eventLoopP99Ms: { unit: 'ms', label: 'event-loop delay, 99th percentile' },
  netKBps: { unit: 'kB/s', label: 'network traffic in and out' },
} as const;
export type MetricName = keyof typeof METRICS;

/** A window's value of one metric for one service, or why it has none. */
export interface WindowValue {
  readonly orchestrator: string;
  readonly service: string;
  readonly metric: MetricName;
  readonly window: number;
  readonly value: number | null;
  readonly why?: string;
  /** The most the value can physically be here (the containers' memory limits), if known. */
  readonly limit?: number;
  /** The least it can be (the probe traffic the results report), if any probe fell inside. */
  readonly minimum?: number;
}

/** How far the self-sampler and the cgroup agree, per window, where the cgroup is the service's. */
export interface AgreementValue {
  readonly orchestrator: string;
  readonly service: string;
  readonly node: string;
  readonly window: number;
  /** (self - cgroup) / cgroup over the window: CPU time, and anonymous memory. */
  readonly cpuDeviation: number | null;
  readonly memoryDeviation: number | null;
}

const MIB = 1024 * 1024;

interface Instance {
  readonly service: string;
  readonly node: string;
  readonly samples: SampleRow[];
}

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * A counter's rate per second over consecutive samples, reset-aware as Prometheus's
 * increase(): a value below the one before means the process restarted (an orchestrator
 * restarting a task mid-window) and counted from 0 again, so it adds itself whole.
 * Null when a sample lacks the counter.
 */
function ratePerSecond(rows: readonly SampleRow[], value: (row: SampleRow) => number | null) {
  const seconds = (rows[rows.length - 1].atMs - rows[0].atMs) / 1000;
  if (seconds <= 0) return null;
  let increase = 0;
  for (let index = 1; index < rows.length; index += 1) {
    const before = value(rows[index - 1]);
    const after = value(rows[index]);
    if (before === null || after === null) return null;
    increase += after >= before ? after - before : after;
  }
  return increase / seconds;
}

function instancesOf(rows: readonly SampleRow[]): Map<string, Instance> {
  const instances = new Map<string, Instance>();
  for (const row of rows) {
    const key = `${row.service}\u0000${row.node}`;
    let instance = instances.get(key);
    if (!instance) {
      instance = { service: row.service, node: row.node, samples: [] };
      instances.set(key, instance);
    }
    instance.samples.push(row);
  }
  for (const instance of instances.values()) instance.samples.sort((a, b) => a.atMs - b.atMs);
  return instances;
}

/**
 * Every window's value per service and metric. An instance seen anywhere in its
 * orchestrator's windows but with fewer than two samples in one window leaves that
 * window without a value for its service (a missing node would look like a saving).
 * Traffic counts only for namespaces no other service shares (on the host network every
 * service sees the host's traffic, which is nobody's own); the monitor's and the sensor's
 * carry the probes' own bytes as their least possible value (see probeMinimum).
 */
export function windowValues(
  rows: readonly SampleRow[],
  windows: readonly MeasuredWindow[],
  probes: readonly ProbeRow[] = [],
): WindowValue[] {
  const values: WindowValue[] = [];
  const byOrchestrator = new Map<string, SampleRow[]>();
  for (const row of rows) {
    const group = byOrchestrator.get(row.orchestrator) ?? [];
    group.push(row);
    byOrchestrator.set(row.orchestrator, group);
  }
  for (const window of windows) {
    const groupRows = byOrchestrator.get(window.orchestrator) ?? [];
    const inGroup = instancesOf(groupRows);
    const inWindow = instancesOf(
      groupRows.filter((row) => row.atMs >= window.startMs && row.atMs <= window.endMs),
    );
    const services = [...new Set([...inGroup.values()].map((instance) => instance.service))];
    const namespaceUsers = new Map<number, Set<string>>();
    for (const row of groupRows) {
      if (row.netNamespace === null) continue;
      const users = namespaceUsers.get(row.netNamespace) ?? new Set<string>();
      users.add(row.service);
      namespaceUsers.set(row.netNamespace, users);
    }
    for (const service of services.sort()) {
      const expected = [...inGroup.values()].filter((instance) => instance.service === service);
      const present = expected
        .map((instance) => inWindow.get(`${service}\u0000${instance.node}`))
        .filter((instance): instance is Instance => (instance?.samples.length ?? 0) >= 2);
      const base = { orchestrator: window.orchestrator, service, window: window.index };
      if (present.length < expected.length) {
        const missing = expected.length - present.length;
        const why = `${missing} of ${expected.length} instance(s) without two samples in the window`;
        for (const metric of Object.keys(METRICS) as MetricName[]) {
          values.push({ ...base, metric, value: null, why });
        }
        continue;
      }
      const cpu = sumOf(present, cpuPercentOf);
      values.push(
        cpu === null
          ? { ...base, metric: 'cpuPercent', value: null, why: 'no CPU counter in a sample' }
          : { ...base, metric: 'cpuPercent', value: cpu },
      );
      values.push({
        ...base,
        metric: 'rssMiB',
        value: sumOf(present, rssMiBOf),
        ...memoryLimitOf(present),
      });
      const loop = present.map(eventLoopOf).filter((value): value is number => value !== null);
      values.push(
        loop.length === present.length
          ? { ...base, metric: 'eventLoopP99Ms', value: mean(loop) }
          : { ...base, metric: 'eventLoopP99Ms', value: null, why: 'not a Node.js process' },
      );
      const traffic = trafficOf(present, namespaceUsers);
      const least =
        traffic.value !== null && PROBE_ENDS.has(service)
          ? probeMinimum(present, probes, window.orchestrator)
          : null;
      values.push({
        ...base,
        metric: 'netKBps',
        ...traffic,
        ...(least !== null && least > 0 ? { minimum: least } : {}),
      });
    }
  }
  return values;
}

function sumOf(instances: readonly Instance[], value: (instance: Instance) => number | null) {
  let total = 0;
  for (const instance of instances) {
    const one = value(instance);
    if (one === null) return null;
    total += one;
  }
  return total;
}

function cpuPercentOf(instance: Instance): number | null {
  const usPerSecond = ratePerSecond(instance.samples, (row) => row.cpuUs);
  return usPerSecond === null ? null : usPerSecond / 1e4;
}

/** The instances' memory limits together, when every one runs in its own limited cgroup. */
function memoryLimitOf(instances: readonly Instance[]): { limit?: number } {
  let total = 0;
  for (const instance of instances) {
    const last = instance.samples[instance.samples.length - 1];
    if (last.cgroupExclusive !== true || last.cgroupMemoryLimitBytes === null) return {};
    total += last.cgroupMemoryLimitBytes / MIB;
  }
  return { limit: total };
}

const rssMiBOf = (instance: Instance): number =>
  mean(instance.samples.map((row) => row.rssBytes)) / MIB;

function eventLoopOf(instance: Instance): number | null {
  const delays = instance.samples
    .map((row) => row.eventLoopP99Ms)
    .filter((value): value is number => value !== null);
  return delays.length === 0 ? null : mean(delays);
}

function trafficOf(
  instances: readonly Instance[],
  namespaceUsers: Map<number, Set<string>>,
): { value: number | null; why?: string } {
  let total = 0;
  for (const instance of instances) {
    const namespace = instance.samples[instance.samples.length - 1].netNamespace;
    if (namespace === null) return { value: null, why: 'no network counters' };
    if ((namespaceUsers.get(namespace)?.size ?? 0) > 1) {
      return {
        value: null,
        why: "network namespace shared with other services (host networking): its traffic is not this service's own",
      };
    }
    const bytesPerSecond = ratePerSecond(instance.samples, (row) => row.netBytes);
    if (bytesPerSecond === null) return { value: null, why: 'no network counter in a sample' };
    total += bytesPerSecond / 1000;
  }
  return { value: total };
}

/**
 * The least traffic (kB/s) the service's counters can show: the bytes of every probe that
 * ran wholly inside the span all its instances sampled (every probe has one monitor and
 * one sensor, so the service's instances together carried each one), over the longest of
 * the instances' own spans, which their rates divide by. Probes only partly inside count
 * nothing, so the bound holds however a probe's bytes spread over its time.
 */
function probeMinimum(
  instances: readonly Instance[],
  probes: readonly ProbeRow[],
  orchestrator: string,
): number | null {
  const from = Math.max(...instances.map((instance) => instance.samples[0].atMs));
  const to = Math.min(
    ...instances.map((instance) => instance.samples[instance.samples.length - 1].atMs),
  );
  const longest = Math.max(
    ...instances.map(
      (instance) => instance.samples[instance.samples.length - 1].atMs - instance.samples[0].atMs,
    ),
  );
  if (to <= from || longest <= 0) return null;
  const bytes = probes
    .filter(
      (probe) => probe.orchestrator === orchestrator && probe.startMs >= from && probe.endMs <= to,
    )
    .reduce((sum, probe) => sum + probe.bytes, 0);
  return bytes / (longest / 1000) / 1000;
}

/**
 * Self-sampler against the cgroup's own counters, for every instance whose cgroup holds
 * only its own process tree over the whole window. CPU: the process's user+system time
 * against the group's usage (children such as iperf3 count in the group only, so the
 * check is meaningful for services without children); memory: anonymous RSS against the
 * group's anonymous memory.
 */
export function agreementValues(
  rows: readonly SampleRow[],
  windows: readonly MeasuredWindow[],
): AgreementValue[] {
  const out: AgreementValue[] = [];
  for (const window of windows) {
    const inWindow = instancesOf(
      rows.filter(
        (row) =>
          row.orchestrator === window.orchestrator &&
          row.atMs >= window.startMs &&
          row.atMs <= window.endMs,
      ),
    );
    for (const instance of inWindow.values()) {
      if (instance.samples.length < 2) continue;
      if (!instance.samples.every((row) => row.cgroupExclusive === true)) continue;
      const self = ratePerSecond(instance.samples, (row) => row.cpuUs * 1000);
      const group = ratePerSecond(instance.samples, (row) => row.cgroupCpuNs);
      const anon = instance.samples.filter(
        (row) => row.rssAnonBytes !== null && row.cgroupMemoryAnonBytes !== null,
      );
      const selfMemory = anon.length > 0 ? mean(anon.map((row) => row.rssAnonBytes!)) : null;
      const groupMemory =
        anon.length > 0 ? mean(anon.map((row) => row.cgroupMemoryAnonBytes!)) : null;
      out.push({
        orchestrator: window.orchestrator,
        service: instance.service,
        node: instance.node,
        window: window.index,
        cpuDeviation: self !== null && group !== null && group > 0 ? (self - group) / group : null,
        memoryDeviation:
          selfMemory !== null && groupMemory !== null && groupMemory > 0
            ? (selfMemory - groupMemory) / groupMemory
            : null,
      });
    }
  }
  return out;
}

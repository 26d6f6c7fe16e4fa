/**
 * One resource sample: what a service (or, from outside, the orchestrator's daemons) cost
 * its node at one moment, published on `…samples.<service>.<node>` into the samples stream
 * (message id = sampleId, so a re-sent sample is stored once). The orchestrator comparison
 * is computed from these alone.
 *
 * Counters are cumulative (CPU time since the process started, bytes since the network
 * namespace was made, the cgroup's own totals), so a lost sample loses no cost: the next
 * one still holds it, and a window's cost is the difference between its first and last
 * sample. Gauges (memory, event-loop delay) are as read, or over the last interval.
 */
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import {
  customRule,
  IsClusterName,
  IsIntAtLeast,
  IsLiteral,
  IsNodeName,
  IsNumberAtLeast,
  IsOneOf,
  IsToken,
  Nested,
} from '../validation/rules.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { ORCHESTRATORS, SERVICE_NAMES, type Orchestrator, type ServiceName } from '../names.js';

/** The services sample themselves; `orchestrator` is the daemons, sampled from outside. */
export const SAMPLED_SERVICES = [...SERVICE_NAMES, 'orchestrator'] as const;
export type SampledService = ServiceName | 'orchestrator';

/** A run's name: one tag value in InfluxDB, so short and plain. */
export const RUN_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const RUN_NAME_RULE =
  'must be 1-64 lower-case letters, digits, _ or -, starting with a letter or digit';

const IsRunName = (): PropertyDecorator =>
  customRule('isRunName', (value) =>
    typeof value === 'string' && RUN_NAME_PATTERN.test(value) ? null : RUN_NAME_RULE,
  );

const IsBoolOrNull = (): PropertyDecorator =>
  customRule('isBoolOrNull', (value) =>
    value === null || typeof value === 'boolean' ? null : 'must be true, false or null',
  );

const IsCgroupVersion = (): PropertyDecorator =>
  customRule('isCgroupVersion', (value) => (value === 1 || value === 2 ? null : 'must be 1 or 2'));

export interface ProcessFigures {
  /** How many processes these figures add up (1 for a service; the daemons found). */
  readonly processes: number;
  /** CPU time since the process started, cumulative, microseconds. */
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  /** Resident memory, and its anonymous part (what a cgroup charges to the group's own anon). */
  readonly rssBytes: number;
  readonly rssAnonBytes: number | null;
  /** The V8 heap; null for processes that are not Node.js (the daemons). */
  readonly heapUsedBytes: number | null;
  readonly heapTotalBytes: number | null;
  /** Event-loop delay over the interval (mean, 99th percentile, max); null outside Node.js. */
  readonly eventLoopMeanMs: number | null;
  readonly eventLoopP99Ms: number | null;
  readonly eventLoopMaxMs: number | null;
}

/** The network namespace's traffic, summed over its interfaces but `lo`; cumulative. */
export interface NetFigures {
  /**
   * The namespace's inode (`/proc/self/ns/net`): services that show the same one share it
   * (host networking), so its traffic is theirs together, not each one's. Null if unknown.
   */
  readonly namespace: number | null;
  readonly rxBytes: number;
  readonly rxPackets: number;
  readonly txBytes: number;
  readonly txPackets: number;
}

/** The cgroup's own accounting, where one is readable; each figure null where its file is not. */
export interface CgroupFigures {
  readonly version: 1 | 2;
  /** Processes in the group: 1 in a service's own container; many on a plain host. */
  readonly processes: number | null;
  /**
   * Whether the group holds only this service's own process tree (itself, its children
   * such as iperf3, and a wrapper that started it): then its counters are the service's
   * and can be checked against the process's own. False on a plain host. Null: unknown.
   */
  readonly exclusive: boolean | null;
  readonly cpuUsageNs: number | null;
  readonly cpuUserNs: number | null;
  readonly cpuSystemNs: number | null;
  readonly throttledPeriods: number | null;
  readonly throttledNs: number | null;
  readonly memoryBytes: number | null;
  /** Anonymous memory (v1 memory.stat `rss`, v2 `anon`), comparable with the process's. */
  readonly memoryAnonBytes: number | null;
  readonly memoryLimitBytes: number | null;
}

export interface ResourceSample {
  readonly v: ContractVersion;
  /** `<process boot id>.<sequence>`: unique across restarts, the JetStream message id. */
  readonly sampleId: string;
  readonly cluster: string;
  /** MESHMON_RUN: `npm run compare` names one per comparison; `live` otherwise. */
  readonly run: string;
  /** MESHMON_ORCHESTRATOR: where the sampled service runs. */
  readonly orchestrator: Orchestrator;
  readonly service: SampledService;
  readonly node: string;
  /** Wall clock of the sample, ms since the epoch. */
  readonly atMs: number;
  /** Since the sample before (0 for the first): the interval `cpuPercent` covers. */
  readonly intervalMs: number;
  /** CPU over the interval, in % of one core (top's way: 2 busy cores are 200); null first. */
  readonly cpuPercent: number | null;
  readonly process: ProcessFigures;
  readonly net: NetFigures | null;
  readonly cgroup: CgroupFigures | null;
}

export class ProcessFiguresV1 implements ProcessFigures {
  @IsIntAtLeast(1) readonly processes!: number;
  @IsIntAtLeast(0) readonly cpuUserUs!: number;
  @IsIntAtLeast(0) readonly cpuSystemUs!: number;
  @IsIntAtLeast(0) readonly rssBytes!: number;
  @IsIntAtLeast(0, { orNull: true }) readonly rssAnonBytes!: number | null;
  @IsIntAtLeast(0, { orNull: true }) readonly heapUsedBytes!: number | null;
  @IsIntAtLeast(0, { orNull: true }) readonly heapTotalBytes!: number | null;
  @IsNumberAtLeast(0, { orNull: true }) readonly eventLoopMeanMs!: number | null;
  @IsNumberAtLeast(0, { orNull: true }) readonly eventLoopP99Ms!: number | null;
  @IsNumberAtLeast(0, { orNull: true }) readonly eventLoopMaxMs!: number | null;
}

export class NetFiguresV1 implements NetFigures {
  @IsIntAtLeast(1, { orNull: true }) readonly namespace!: number | null;
  @IsIntAtLeast(0) readonly rxBytes!: number;
  @IsIntAtLeast(0) readonly rxPackets!: number;
  @IsIntAtLeast(0) readonly txBytes!: number;
  @IsIntAtLeast(0) readonly txPackets!: number;
}

export class CgroupFiguresV1 implements CgroupFigures {
  @IsCgroupVersion() readonly version!: 1 | 2;
  @IsIntAtLeast(1, { orNull: true }) readonly processes!: number | null;
  @IsBoolOrNull() readonly exclusive!: boolean | null;
  @IsIntAtLeast(0, { orNull: true }) readonly cpuUsageNs!: number | null;
  @IsIntAtLeast(0, { orNull: true }) readonly cpuUserNs!: number | null;
  @IsIntAtLeast(0, { orNull: true }) readonly cpuSystemNs!: number | null;
  @IsIntAtLeast(0, { orNull: true }) readonly throttledPeriods!: number | null;
  @IsIntAtLeast(0, { orNull: true }) readonly throttledNs!: number | null;
  @IsIntAtLeast(0, { orNull: true }) readonly memoryBytes!: number | null;
  @IsIntAtLeast(0, { orNull: true }) readonly memoryAnonBytes!: number | null;
  @IsIntAtLeast(1, { orNull: true }) readonly memoryLimitBytes!: number | null;
}

export class ResourceSampleV1 implements ResourceSample {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsToken() readonly sampleId!: string;
  @IsClusterName() readonly cluster!: string;
  @IsRunName() readonly run!: string;
  @IsOneOf(ORCHESTRATORS) readonly orchestrator!: Orchestrator;
  @IsOneOf(SAMPLED_SERVICES) readonly service!: SampledService;
  @IsNodeName() readonly node!: string;
  @IsNumberAtLeast(0) readonly atMs!: number;
  @IsIntAtLeast(0) readonly intervalMs!: number;
  @IsNumberAtLeast(0, { orNull: true }) readonly cpuPercent!: number | null;
  @Nested(() => ProcessFiguresV1) readonly process!: ProcessFiguresV1;
  @Nested(() => NetFiguresV1, { orNull: true }) readonly net!: NetFiguresV1 | null;
  @Nested(() => CgroupFiguresV1, { orNull: true }) readonly cgroup!: CgroupFiguresV1 | null;
}

export const ResourceSampleContract = defineContract<ResourceSample>(
  'resource sample',
  ResourceSampleV1,
);

export const decodeResourceSample = (payload: Uint8Array | string): Decoded<ResourceSample> =>
  decodeWith(ResourceSampleContract, payload);

export const encodeResourceSample = (sample: ResourceSample): Uint8Array =>
  encodeWith(ResourceSampleContract, sample);

import type { Comparison } from './comparisons.js';
import type { Scenario } from './scenario.js';
import type { MeasuredWindow } from './window-values.js';

/** Whether an orchestrator took part, and if not, why (no cluster reachable, say). */
export interface OrchestratorStatus {
  readonly name: string;
  readonly status: 'compared' | 'skipped';
  readonly reason: string | null;
}

/** How far the self-sampler agreed with the cgroup's own counters, per service and orchestrator. */
export interface AgreementSummary {
  readonly orchestrator: string;
  readonly service: string;
  /** Instance-windows compared. */
  readonly n: number;
  /** Mean and largest |self - cgroup| / cgroup, as fractions (0.05 = 5 %). */
  readonly cpuMeanAbsDeviation: number | null;
  readonly cpuMaxAbsDeviation: number | null;
  readonly memoryMeanAbsDeviation: number | null;
  readonly memoryMaxAbsDeviation: number | null;
}

/** The machine the comparison ran on, for the physical bounds and the reader. */
export interface MachineFacts {
  readonly cores: number;
  readonly memoryMiB: number;
  readonly kernel: string;
  readonly cgroupVersion: 1 | 2 | null;
}

/**
 * Everything a comparison reports: rebuilt from InfluxDB alone by `--report-only --run`.
 * `comparisons` holds, per service (controller, sensor, monitor, flow-discovery,
 * result-sink, gateway; the daemons as `orchestrator`) and metric, every group's values.
 */
export interface CompareReport {
  readonly run: string;
  readonly startedAtMs: number;
  readonly scenario: Scenario;
  readonly machine: MachineFacts;
  readonly orchestrators: readonly OrchestratorStatus[];
  readonly windows: readonly MeasuredWindow[];
  readonly comparisons: readonly Comparison[];
  readonly agreement: readonly AgreementSummary[];
}

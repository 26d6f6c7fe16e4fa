/**
 * A comparison report as a real run would produce it, for the renderers' tests: three
 * orchestrators compared and Kubernetes skipped, the monitor and the container
 * daemons (process has none), CPU and memory, five windows each. The statistics are
 * computed by compareGroups from the values below, so they are consistent with them;
 * one swarm memory value is beyond the machine's memory, so that comparison carries a
 * flag and a note (and, its groups then differing in size, no statistics).
 */
import { compareGroups } from '../comparisons.js';
import type { CompareReport } from '../report-types.js';
import type { Scenario } from '../scenario.js';
import type { MeasuredWindow, MetricName, WindowValue } from '../window-values.js';

export const FIXTURE_RUN = 'cmp-20250512-0930-7f3a';
const COMPARED = ['process', 'container', 'swarm'];
const STARTED_AT_MS = Date.UTC(2025, 4, 12, 9, 30);
const WINDOW_MS = 20_000;

const scenario: Scenario = {
  v: 1,
  nodes: 3,
  algorithm: 'cps',
  probeSeconds: 2,
  sampleSeconds: 2,
  background: { flows: 3, bytesPerSecond: 250_000 },
  blocks: 1,
  windows: 5,
  windowSeconds: 20,
  warmupSeconds: 30,
  seed: 1,
};

const machine = { cores: 2, memoryMiB: 7936, kernel: '6.1.0-31-amd64', cgroupVersion: 2 as const };

/** Per service, metric and orchestrator: the five windows' values. */
const VALUES: Record<string, Partial<Record<MetricName, Record<string, number[]>>>> = {
  monitor: {
    cpuPercent: {
      process: [3.02, 3.18, 2.91, 3.09, 2.97],
      container: [3.61, 3.48, 3.72, 3.55, 3.66],
      swarm: [4.12, 4.31, 4.05, 4.22, 4.18],
    },
    // 9999 MiB is more than the machine has: flagged, left out.
    rssMiB: {
      process: [212.4, 214.1, 213.0, 215.2, 213.8],
      container: [221.7, 219.9, 222.5, 220.8, 221.2],
      swarm: [224.3, 225.1, 9999, 223.8, 224.9],
    },
  },
  orchestrator: {
    cpuPercent: { container: [1.42, 1.57, 1.38, 1.51, 1.46], swarm: [2.84, 3.02, 2.77, 2.95, 2.9] },
    rssMiB: {
      container: [96.2, 97.1, 96.8, 95.9, 96.5],
      swarm: [148.3, 149.6, 147.9, 150.2, 148.8],
    },
  },
};

function windowValuesOf(): WindowValue[] {
  return Object.entries(VALUES).flatMap(([service, metrics]) =>
    Object.entries(metrics).flatMap(([metric, groups]) =>
      Object.entries(groups).flatMap(([orchestrator, values]) =>
        values.map((value, index) => ({
          orchestrator,
          service,
          metric: metric as MetricName,
          window: index + 1,
          value,
        })),
      ),
    ),
  );
}

/** One block per orchestrator, one after the other, five windows each after the warm-up. */
function measuredWindows(): MeasuredWindow[] {
  const blockMs = scenario.warmupSeconds * 1000 + scenario.windows * WINDOW_MS;
  return COMPARED.flatMap((orchestrator, block) =>
    Array.from({ length: scenario.windows }, (_, index) => {
      const startMs =
        STARTED_AT_MS + block * blockMs + scenario.warmupSeconds * 1000 + index * WINDOW_MS;
      return {
        orchestrator,
        block: block + 1,
        index: index + 1,
        startMs,
        endMs: startMs + WINDOW_MS,
      };
    }),
  );
}

function buildReport(): CompareReport {
  return {
    run: FIXTURE_RUN,
    startedAtMs: STARTED_AT_MS,
    scenario,
    machine,
    orchestrators: [
      ...COMPARED.map((name) => ({ name, status: 'compared' as const, reason: null })),
      {
        name: 'kubernetes',
        status: 'skipped',
        reason: 'no cluster reachable: kubectl has no current context',
      },
    ],
    windows: measuredWindows(),
    comparisons: compareGroups(windowValuesOf(), COMPARED, machine),
    agreement: [
      {
        orchestrator: 'container',
        service: 'monitor',
        n: 15,
        cpuMeanAbsDeviation: 0.021,
        cpuMaxAbsDeviation: 0.048,
        memoryMeanAbsDeviation: 0.034,
        memoryMaxAbsDeviation: 0.061,
      },
      {
        orchestrator: 'swarm',
        service: 'monitor',
        n: 15,
        cpuMeanAbsDeviation: 0.018,
        cpuMaxAbsDeviation: 0.039,
        // The cgroup's anonymous memory was not readable in these windows.
        memoryMeanAbsDeviation: null,
        memoryMaxAbsDeviation: null,
      },
    ],
  };
}

let built: CompareReport | undefined;

/** The fixture, computed once (the statistics take a while); readonly, so safe to share. */
export function reportFixture(): CompareReport {
  built ??= buildReport();
  return built;
}

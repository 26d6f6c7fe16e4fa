import { availableParallelism } from 'node:os';
import { Logger } from '@nestjs/common';
import { CpuCgroup, detectCgroups } from './cpu-cgroup.js';
import type { LabNetwork, LabNode } from './lab-network.js';
import { LinkOptionError } from './link-shaping.js';
import {
  spawnInNamespace,
  type NamespaceProcess,
  type ProcessPlacement,
} from './namespace-process.js';

/**
 * How a node is made busy (measurements in README.md of this folder).
 * - `cgroup`: the node's processes and the stressors share one cgroup limited to a small
 *   share of a CPU (CFS bandwidth control) and, where the cpuset controller is there,
 *   confined to one CPU. The stressors use up the share early in every period, after which
 *   the whole group, iperf3 included, waits for the next period: a small, fully loaded
 *   machine. The rest of the lab loses only that share of a CPU. At 200-1000 mbit the node
 *   then sends 50-80 % and receives 15-55 % less than the others, whatever else the machine runs.
 *   Why one CPU: the kernel hands the group's quota to each CPU in slices (5 ms,
 *   sched_cfs_bandwidth_slice_us). When other load on the machine makes the load balancer
 *   put both stressors on one CPU, iperf3 on the other CPU runs on a slice no stressor
 *   touches, and the node sent at up to 93 % of the others' rate instead of about half.
 * - `affinity`: the node's processes run at nice 19 on the last CPU beside a stressor at
 *   nice 0 pinned there. Weak (0-20 % less) and noisy, and it takes a whole CPU from the
 *   other nodes: only the fallback where the cpu controller cannot be used.
 * Pinning alone (same CPU, same niceness) changes nothing measurable: the scheduler gives
 * the rarely running iperf3 all the CPU it asks for. No mechanism shows in ping RTTs: ping
 * takes its receive timestamp in the kernel, and the echo reply is sent from softirq.
 */
export type BusyMechanism = 'cgroup' | 'affinity';

export interface BusyNodeOptions {
  /** stress-ng's output goes here. */
  readonly logFile: string;
  /** `auto` (default): cgroup when the cpu controller can be used, else affinity. */
  readonly mechanism?: 'auto' | BusyMechanism;
  /** cgroup only: the node's share of one CPU, stressors included. */
  readonly cpuShare?: number;
  /** cgroup only: the CFS period; the group may stall for up to (1 - share) of it. */
  readonly periodMs?: number;
  /** stress-ng `--cpu` workers (cgroup; affinity always uses one per pinned CPU). */
  readonly stressors?: number;
  /** stress-ng ends by itself after this, should everything else fail to stop it. */
  readonly maxSeconds?: number;
}

/**
 * Chosen from the measurements in README.md: a clear effect whatever else the machine runs,
 * stalls of at most 180 ms. With the kernel's own 100 ms period the socket's unsent bytes
 * (about 50 ms at 200 mbit) covered much of each 90 ms stall, and how much varied with the
 * machine's load (the node sent 47-80 % of the others' rate, confined to one CPU).
 */
export const DEFAULT_CPU_SHARE = 0.1;
export const DEFAULT_PERIOD_MS = 200;
export const DEFAULT_STRESSORS = 2;
const DEFAULT_MAX_SECONDS = 6 * 3600;
/** Time stress-ng gets to load the node before start() gives up (two periods take 0.4 s). */
const BUSY_WITHIN_MS = 5000;
const STOP_GRACE_MS = 2000;

/**
 * A busy node. `prepare` before the node's services start and pass `placement` to
 * spawnInNamespace for each of them (their iperf3 and ping inherit it); `start` once they
 * are up (a limited cgroup would slow their start-up ten-fold); `destroy` after they have
 * stopped (it kills whatever is still inside).
 */
export class BusyNode {
  private stress: NamespaceProcess | null = null;
  private destroyed: Promise<void> | null = null;
  private readonly logger = new Logger(BusyNode.name);

  private constructor(
    readonly node: LabNode,
    readonly mechanism: BusyMechanism,
    readonly placement: ProcessPlacement,
    private readonly options: BusyNodeOptions,
    private readonly network: LabNetwork,
    private readonly cgroup: CpuCgroup | null,
  ) {}

  static async prepare(
    network: LabNetwork,
    node: LabNode,
    options: BusyNodeOptions,
  ): Promise<BusyNode> {
    const share = options.cpuShare ?? DEFAULT_CPU_SHARE;
    if (!(share > 0 && share <= 1))
      throw new LinkOptionError('cpuShare', `must be in (0, 1] (got ${share})`);
    const periodMs = options.periodMs ?? DEFAULT_PERIOD_MS;
    if (!Number.isInteger(periodMs) || periodMs < 10 || periodMs > 1000) {
      throw new LinkOptionError('periodMs', `must be an integer from 10 to 1000 (got ${periodMs})`);
    }
    const stressors = options.stressors ?? DEFAULT_STRESSORS;
    if (!Number.isInteger(stressors) || stressors < 1 || stressors > 16) {
      throw new LinkOptionError('stressors', `must be an integer from 1 to 16 (got ${stressors})`);
    }
    const wanted = options.mechanism ?? 'auto';
    if (wanted !== 'affinity') {
      try {
        const layout = await detectCgroups();
        const cpus = layout.cpusetRoot ? lastCpu() : undefined;
        if (cpus === undefined) {
          new Logger(BusyNode.name).warn(
            `node ${node.name}: no cpuset controller, so the busy node is not confined to one CPU; how much slower it sends then varies with the machine's other load`,
          );
        }
        const cgroup = await CpuCgroup.create(layout, node.namespace, {
          ...(cpus === undefined ? {} : { cpus }),
          onPath: (path) => network.track({ kind: 'cgroup', path }),
        });
        return new BusyNode(
          node,
          'cgroup',
          { cgroupProcsFiles: cgroup.procsFiles },
          options,
          network,
          cgroup,
        );
      } catch (error) {
        if (wanted === 'cgroup') throw error;
        new Logger(BusyNode.name).warn(
          `node ${node.name}: no usable cpu cgroup (${error instanceof Error ? error.message : String(error)}); pinning instead`,
        );
      }
    }
    return new BusyNode(node, 'affinity', { cpus: lastCpu(), nice: 19 }, options, network, null);
  }

  get running(): boolean {
    return this.stress?.running === true;
  }

  /** Starts the load (and, for `cgroup`, the CPU limit). */
  async start(): Promise<void> {
    if (this.destroyed) throw new Error(`busy node ${this.node.name} is destroyed`);
    if (this.running) return;
    const maxSeconds = String(this.options.maxSeconds ?? DEFAULT_MAX_SECONDS);
    if (this.cgroup) {
      const periodUs = (this.options.periodMs ?? DEFAULT_PERIOD_MS) * 1000;
      await this.cgroup.limitCpu(this.options.cpuShare ?? DEFAULT_CPU_SHARE, periodUs);
    }
    const stressors = this.cgroup ? String(this.options.stressors ?? DEFAULT_STRESSORS) : '1';
    this.stress = await spawnInNamespace({
      namespace: this.node.namespace,
      command: 'stress-ng',
      args: ['--cpu', stressors, '--timeout', maxSeconds, '--quiet'],
      logFile: this.options.logFile,
      // The affinity load stays at nice 0 on the node's CPU, so the node (nice 19) yields to it.
      placement: this.cgroup ? this.placement : { cpus: this.placement.cpus },
    });
    if (this.cgroup) await this.untilThrottled(this.cgroup);
  }

  /**
   * Returns once the stressors have used up the group's quota twice: only then is the node
   * busy. Spawning stress-ng is not enough: on a loaded machine its workers may take a good
   * part of a second to burn, and a probe started meanwhile would run unhindered.
   */
  private async untilThrottled(cgroup: CpuCgroup): Promise<void> {
    const before = await cgroup.throttledPeriods();
    const deadline = Date.now() + BUSY_WITHIN_MS;
    for (let round = 0; round < 1000; round += 1) {
      if ((await cgroup.throttledPeriods()) >= before + 2) return;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `busy node ${this.node.name}: stress-ng did not use up the cgroup's CPU quota within ${BUSY_WITHIN_MS / 1000} s (cpu.stat nr_throttled stayed below ${before + 2}); is the CPU it is confined to taken by something else?`,
    );
  }

  /** Stops the load and lifts the limit; the node's processes run on normally. */
  async stop(): Promise<void> {
    const stress = this.stress;
    this.stress = null;
    if (stress) await stress.stop(STOP_GRACE_MS);
    if (this.cgroup) await this.cgroup.limitCpu(null);
  }

  /** Stops the load and removes the cgroup. Idempotent; never throws (logs instead). */
  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      try {
        await this.stop();
      } catch (error) {
        this.logger.warn(`node ${this.node.name}: stopping the load: ${String(error)}`);
      }
      if (!this.cgroup) return;
      const problems = await this.cgroup.destroy();
      for (const problem of problems) this.logger.warn(`node ${this.node.name}: ${problem}`);
      if (problems.length === 0) {
        for (const path of this.cgroup.paths) this.network.untrack({ kind: 'cgroup', path });
      }
    })();
    return this.destroyed;
  }
}

/** The CPU a busy node is confined to (either mechanism). */
function lastCpu(): string {
  return String(availableParallelism() - 1);
}

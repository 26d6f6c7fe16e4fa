import { availableParallelism } from 'node:os';
import type { LabNode } from './lab-network.js';
import { spawnInNamespace, type NamespaceProcess } from './namespace-process.js';

export interface BusyLoad {
  /** The CPUs the node's own processes must be pinned to, so they share them with the load. */
  readonly cpus: string;
  stop(): Promise<void>;
}

/** CPU hogs per pinned core: the node's probes get about a third of their core. */
const HOGS = 2;

/**
 * Makes a node busy as the thesis did (Table 8): stress-ng loads a CPU. Namespaces do not
 * separate CPUs, so the load is pinned to the last core together with the node's own
 * services and the iperf3 and ping they start; the node's probes compete with the hogs
 * while the other nodes' processes move to the free cores.
 */
export async function startBusyLoad(node: LabNode, logFile: string): Promise<BusyLoad> {
  const cpus = String(Math.max(0, availableParallelism() - 1));
  const stress: NamespaceProcess = spawnInNamespace({
    namespace: node.namespace,
    command: 'stress-ng',
    args: ['--cpu', String(HOGS), '--cpu-load', '100', '--timeout', '0', '--quiet'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    logFile,
    cpus,
  });
  return { cpus, stop: () => stress.stop(2000) };
}

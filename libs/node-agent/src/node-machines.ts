import { ALGORITHMS, SeededRandom, type NodeAgent } from '@meshmon/scheduling';
import type { AgentConfig } from './agent-config.js';
import type { SchedulerRun } from './scheduler-run.js';

/**
 * The node's machines, built exactly as the simulator builds them (same factory, same
 * per-node random stream), so a service runs the very core the simulator measured. Each
 * service keeps only its own module's machine.
 */
export function createNodeMachines(
  config: AgentConfig,
  run: SchedulerRun,
  members: readonly string[] = config.members,
): NodeAgent {
  const digits = Number(config.node.replace(/\D/g, ''));
  const salt =
    (Number.isSafeInteger(digits) && digits > 0 ? digits : hashOf(config.node)) +
    (config.joining ? 500_000 : 0);
  return ALGORITHMS[run.algorithm].create({
    node: config.node,
    members,
    config: run.scheduler,
    random: new SeededRandom(config.seed).fork(salt + hashOf(run.runId)),
    // Only the first run of a node that boots into a running cluster joins; later runs
    // start on every node at once, from the members each already knows.
    joining: config.joining && members === config.members,
  });
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

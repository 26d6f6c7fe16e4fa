import { ALGORITHMS, SeededRandom, type NodeAgent } from '@meshmon/scheduling';
import type { AgentConfig } from './agent-config.js';

/**
 * The node's machines, built exactly as the simulator builds them (same factory, same
 * per-node random stream), so a service runs the very core the simulator measured. Each
 * service keeps only its own module's machine.
 */
export function createNodeMachines(config: AgentConfig): NodeAgent {
  const digits = Number(config.node.replace(/\D/g, ''));
  const salt =
    (Number.isSafeInteger(digits) && digits > 0 ? digits : hashOf(config.node)) +
    (config.joining ? 500_000 : 0);
  return ALGORITHMS[config.algorithm].create({
    node: config.node,
    members: config.members,
    config: config.scheduler,
    random: new SeededRandom(config.seed).fork(salt),
    joining: config.joining,
  });
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

import {
  decodeWith,
  SchedulerControlContract,
  type SchedulerControl,
  type SchedulerStart,
} from '@meshmon/contracts';
import {
  mergeSchedulerConfig,
  schedulerOverrides,
  validateSchedulerConfig,
  type AlgorithmName,
  type Problem,
  type SchedulerConfig,
  type SchedulerParams,
} from '@meshmon/scheduling';
import type { Redis } from 'ioredis';
import type { AgentConfig } from './agent-config.js';

/**
 * One scheduler run: an algorithm with its settings, under an id every scheduler envelope
 * of the run carries. Runs start and stop cluster-wide by `control.scheduler` orders.
 */
export interface SchedulerRun {
  readonly runId: string;
  readonly algorithm: AlgorithmName;
  /** The order's parameters, as given (for events and results). */
  readonly params: SchedulerParams;
  /** The node's settings with the order's parameters over them. */
  readonly scheduler: SchedulerConfig;
}

/** The run a node starts when MESHMON_ALGORITHM names one and Redis holds no order. */
export const BOOT_RUN_ID = 'boot';

export function bootRun(config: AgentConfig): SchedulerRun | null {
  if (config.algorithm === null) return null;
  return {
    runId: BOOT_RUN_ID,
    algorithm: config.algorithm,
    params: {},
    scheduler: config.scheduler,
  };
}

/**
 * The run a start order asks for, or the problems that make it impossible here. The
 * order was validated on the wire; the ranges are checked against this node's settings
 * (probe time) because the same parameter may be valid for one node and not another.
 */
export function runFromStart(
  config: AgentConfig,
  start: SchedulerStart,
): { run: SchedulerRun } | { problems: Problem[] } {
  const scheduler = mergeSchedulerConfig(config.scheduler, schedulerOverrides(start.params));
  const problems = validateSchedulerConfig(scheduler);
  if (problems.length > 0) return { problems };
  return {
    run: { runId: start.runId, algorithm: start.algorithm, params: start.params, scheduler },
  };
}

/**
 * The order in force, as the gateway stored it, or null (none stored, or unreadable: a
 * service must still start, so trouble reading it falls back to the environment).
 */
export async function storedSchedulerControl(
  redis: Redis,
  key: string,
): Promise<{ control: SchedulerControl | null; problem?: string }> {
  let raw: string | null;
  try {
    raw = await redis.get(key);
  } catch (error) {
    return { control: null, problem: error instanceof Error ? error.message : String(error) };
  }
  if (raw === null) return { control: null };
  const decoded = decodeWith(SchedulerControlContract, raw);
  if (!decoded.ok) {
    const problem = decoded.problems.map((p) => `${p.field}: ${p.rule}`).join('; ');
    return { control: null, problem: `${key} holds an invalid order (${problem})` };
  }
  return { control: decoded.value };
}

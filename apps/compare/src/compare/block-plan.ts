import { SeededRandom, shuffleInPlace } from '@meshmon/scheduling';
import type { Scenario } from './scenario.js';

/** One deployment of the suite under one orchestrator, measured for some windows. */
export interface PlannedBlock {
  readonly orchestrator: string;
  /** 1-based, within its orchestrator's blocks. */
  readonly block: number;
  /** 1-based: every round holds one block of each orchestrator. */
  readonly round: number;
  readonly windows: number;
}

/**
 * The order the blocks run in: round after round, each with one block of every
 * orchestrator in an order drawn from the seed. Interleaving spreads whatever drifts on
 * the machine over time (a warmer CPU, a fuller disk, a cron job) over every group alike,
 * instead of charging it to whichever orchestrator ran last.
 */
export function planBlocks(
  orchestrators: readonly string[],
  scenario: Pick<Scenario, 'blocks' | 'windows' | 'seed'>,
): PlannedBlock[] {
  const random = new SeededRandom(scenario.seed);
  const windows = scenario.windows / scenario.blocks;
  const plan: PlannedBlock[] = [];
  for (let round = 1; round <= scenario.blocks; round += 1) {
    for (const orchestrator of shuffleInPlace([...orchestrators], random)) {
      plan.push({ orchestrator, block: round, round, windows });
    }
  }
  return plan;
}

/** Seconds the plan takes beside deployments: warm-ups and windows. */
export function plannedSeconds(
  plan: readonly PlannedBlock[],
  scenario: Pick<Scenario, 'warmupSeconds' | 'windowSeconds'>,
): number {
  return plan.reduce(
    (total, block) => total + scenario.warmupSeconds + block.windows * scenario.windowSeconds,
    0,
  );
}

import { schedulerConfigForProbe } from '@meshmon/node-agent';
import {
  mergeSchedulerConfig,
  schedulerOverrides,
  type AlgorithmName,
  type SchedulerConfigOverrides,
  type SchedulerParams,
} from '@meshmon/scheduling';
import { simulate } from '@meshmon/simulation';

export interface SimulatorPrediction {
  readonly seeds: number;
  readonly eventSeconds: number;
  /** Mean over seeds of the simulated time to full coverage (null if some seed never got there). */
  readonly fullCoverageSeconds: number | null;
}

/**
 * What the simulator predicts for the lab's cluster: same algorithm, node count and
 * scheduler settings as the services ran with, and the event time the lab measured. The
 * lab should come within 1.5x of this; a bigger gap means the services add delays the
 * core does not know about.
 */
export function predictWithSimulator(options: {
  algorithm: AlgorithmName;
  nodes: number;
  probeSeconds: number;
  eventSeconds: number;
  params: SchedulerParams;
  seeds?: number;
}): SimulatorPrediction {
  const overrides = schedulerOverrides(options.params);
  // The simulator's probes last `eventMs`: the measured event time, not the configured one.
  const config = {
    ...mergeSchedulerConfig(schedulerConfigForProbe(options.probeSeconds), overrides),
    eventMs: Math.round(options.eventSeconds * 1000),
  };
  const seeds = options.seeds ?? 8;
  const times: number[] = [];
  for (let seed = 1; seed <= seeds; seed += 1) {
    const result = simulate({
      algorithm: options.algorithm,
      nodes: options.nodes,
      eventSeconds: options.eventSeconds,
      durationSeconds: Math.max(600, options.eventSeconds * options.nodes * options.nodes * 20),
      seed,
      config: config as SchedulerConfigOverrides,
    });
    if (result.fullCoverageSeconds === null) {
      return { seeds, eventSeconds: options.eventSeconds, fullCoverageSeconds: null };
    }
    times.push(result.fullCoverageSeconds);
  }
  return {
    seeds,
    eventSeconds: options.eventSeconds,
    fullCoverageSeconds: times.reduce((a, b) => a + b, 0) / times.length,
  };
}

import { closeSync, openSync, writeSync } from 'node:fs';
import {
  validateSchedulerConfig,
  defaultSchedulerConfig,
  mergeSchedulerConfig,
} from '@meshmon/scheduling';
import { simulate, type SimulationResult } from '@meshmon/simulation';
import type { RunArgs } from './cli-args.js';
import { UsageError } from '@meshmon/service-runtime';

/** Runs one simulation for the CLI; writes the events log as it goes. */
export function runSimulation(args: RunArgs): SimulationResult {
  const config = mergeSchedulerConfig(
    defaultSchedulerConfig(args.eventSeconds * 1000),
    args.config,
  );
  const problems = validateSchedulerConfig(config);
  if (problems.length > 0) {
    throw new UsageError('--param', problems.map((p) => `${p.field} ${p.rule}`).join('; '));
  }
  let fd: number | null = null;
  if (args.eventsOut !== null) {
    try {
      fd = openSync(args.eventsOut, 'w');
    } catch (error) {
      throw new UsageError(
        '--events-out',
        `must be a writable file path (${(error as Error).message})`,
      );
    }
  }
  const buffer: string[] = [];
  const flush = (): void => {
    if (fd !== null && buffer.length > 0) writeSync(fd, buffer.join(''));
    buffer.length = 0;
  };
  try {
    return simulate({
      algorithm: args.algorithm,
      nodes: args.nodes,
      eventSeconds: args.eventSeconds,
      durationSeconds: args.durationSeconds,
      seed: args.seed,
      loss: args.loss,
      latencyMs: args.latencyMs,
      eventJitter: args.eventJitter,
      churn: args.churn,
      config: args.config,
      onMeasurement:
        fd === null
          ? undefined
          : (record) => {
              buffer.push(
                `${JSON.stringify({ monitor: record.monitor, sensor: record.sensor, startSeconds: round(record.startSeconds), endSeconds: round(record.endSeconds) })}\n`,
              );
              if (buffer.length >= 4096) flush();
            },
    });
  } finally {
    flush();
    if (fd !== null) closeSync(fd);
  }
}

/** Millisecond precision keeps the log short and exact enough for the conflict checker. */
const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;

/** The JSON the CLI prints: the fields first, then extra detail. */
export function resultJson(result: SimulationResult, args: RunArgs): Record<string, unknown> {
  return {
    algorithm: result.algorithm,
    nodes: result.nodes,
    pairs: result.pairs,
    measurements: result.measurements,
    fullCoverageSeconds: result.fullCoverageSeconds,
    floorSeconds: result.floorSeconds,
    meanWaitSeconds: result.meanWaitSeconds,
    meanSecondsBetweenMeasurements: result.meanSecondsBetweenMeasurements,
    meanConcurrentSessions: result.meanConcurrentSessions,
    pairCountStdDev: result.pairCountStdDev,
    conflicts: result.conflicts,
    coveredFraction: result.coveredFraction,
    ratioToFloor:
      result.fullCoverageSeconds === null ? null : result.fullCoverageSeconds / result.floorSeconds,
    seed: result.seed,
    durationSeconds: result.durationSeconds,
    eventSeconds: result.eventSeconds,
    loss: args.loss,
    eventJitter: args.eventJitter,
    latencyMs: args.latencyMs,
    abortedProbes: result.abortedProbes,
    messagesSent: result.messagesSent,
    messagesLost: result.messagesLost,
    events: result.eventCounts,
  };
}

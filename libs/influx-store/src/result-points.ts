import type { IPoint } from 'influx';
import type { MeasurementResult } from '@meshmon/contracts';
import { resultTimestamp } from './point-time.js';
import {
  MEASUREMENTS,
  RTT_FIELDS,
  TAGS,
  THROUGHPUT_FIELDS as F,
  type Orchestrator,
} from './schema.js';

/** A point with its ns timestamp as a decimal string (written with precision `n`). */
export type TimedPoint = IPoint & { timestamp: string };

/** What the sink knows that the result does not: where the cluster runs. */
export interface PointContext {
  readonly orchestrator: Orchestrator;
}

type Fields = Record<string, number | string | boolean>;

/** Line protocol ends a point at a newline; people's text (stderr) may have some. */
export const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');

function putNumber(fields: Fields, name: string, value: number | null | undefined): void {
  if (value !== null && value !== undefined) fields[name] = value;
}

/**
 * The points of one result: always a `throughput` point (a failed result too, with its
 * error and whatever figures it has), and an `rtt` point when ping figures exist. Both
 * are stamped with the result's start plus its id's offset (see point-time.ts), so
 * writing a result twice leaves one of each.
 */
export function resultPoints(result: MeasurementResult, context: PointContext): TimedPoint[] {
  const tags = {
    [TAGS.cluster]: result.cluster,
    [TAGS.monitor]: result.monitor,
    [TAGS.sensor]: result.sensor,
    [TAGS.tool]: result.tool,
    [TAGS.orchestrator]: context.orchestrator,
    [TAGS.ok]: result.ok ? 'true' : 'false',
  };
  const timestamp = resultTimestamp(result.startedAtMs, result.measurementId);
  const fields: Fields = {
    [F.durationMs]: result.endedAtMs - result.startedAtMs,
    [F.fencingToken]: result.fencingToken,
    [F.measurementId]: result.measurementId,
    [F.algorithm]: result.algorithm,
  };
  const { throughput, cpu, rtt } = result;
  if (throughput !== null) {
    fields[F.bitsPerSecond] = throughput.bitsPerSecond;
    fields[F.bytes] = throughput.bytes;
    putNumber(fields, F.retransmits, throughput.retransmits);
    putNumber(fields, F.jitterMs, throughput.jitterMs);
    putNumber(fields, F.lostPercent, throughput.lostPercent);
  }
  if (cpu !== null) {
    fields[F.cpuClientPercent] = cpu.clientPercent;
    fields[F.cpuServerPercent] = cpu.serverPercent;
  }
  if (!result.ok) {
    fields[F.errorCode] = result.error.code;
    fields[F.errorMessage] = oneLine(result.error.message);
  }
  const points: TimedPoint[] = [{ measurement: MEASUREMENTS.throughput, tags, fields, timestamp }];
  if (rtt !== null) {
    points.push({
      measurement: MEASUREMENTS.rtt,
      tags,
      fields: {
        [RTT_FIELDS.minMs]: rtt.minMs,
        [RTT_FIELDS.avgMs]: rtt.avgMs,
        [RTT_FIELDS.maxMs]: rtt.maxMs,
        [RTT_FIELDS.mdevMs]: rtt.mdevMs,
        [RTT_FIELDS.lossPercent]: rtt.lossPercent,
        [RTT_FIELDS.measurementId]: result.measurementId,
      },
      timestamp,
    });
  }
  return points;
}

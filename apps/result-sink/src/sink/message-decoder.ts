import {
  DeadLetterReasons,
  MAX_PAYLOAD_BYTES,
  decodeErrorEventMessage,
  decodeMeasurementResult,
  decodeResourceSample,
  decodeSchedulerEventMessage,
  type MeasurementResult,
  type Problem,
  type Subjects,
} from '@meshmon/contracts';
import {
  errorEventPoint,
  resourceSamplePoint,
  resultPoints,
  schedulerEventPoint,
  type PointContext,
  type TimedPoint,
} from '@meshmon/influx-store';
import { isSurelyValidResult } from './fast-result-check.js';

export const STREAM_KINDS = ['results', 'events', 'samples'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

export type Verdict =
  | { readonly ok: true; readonly points: TimedPoint[] }
  | { readonly ok: false; readonly reason: string; readonly problems: Problem[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

const refuse = (problems: Problem[], reason: string = DeadLetterReasons.invalidMessage) => ({
  ok: false as const,
  reason,
  problems,
});

/** The fast path's parse; anything unusual goes to the decoder, which says what is wrong. */
function quickParse(data: Uint8Array): unknown {
  if (data.byteLength > MAX_PAYLOAD_BYTES) return undefined;
  try {
    return JSON.parse(utf8.decode(data)) as unknown;
  } catch (_unusual) {
    return undefined;
  }
}

/**
 * Turns one stream message into its points, or into the reason it is refused. The body
 * must pass its contract and agree with its subject (cluster, pair, event type): a
 * result filed under another pair would be stored under the wrong tags.
 */
export class MessageDecoder {
  constructor(
    private readonly subjects: Subjects,
    private readonly context: PointContext,
  ) {}

  decode(kind: StreamKind, subject: string, data: Uint8Array, sequence: number): Verdict {
    if (kind === 'results') return this.decodeResult(subject, data);
    if (kind === 'samples') return this.decodeSample(subject, data);
    return this.decodeEvent(subject, data, sequence);
  }

  /** A sample must agree with its subject: it is stored under the subject's service and node. */
  private decodeSample(subject: string, data: Uint8Array): Verdict {
    const parsed = this.subjects.parse(subject);
    if (parsed?.kind !== 'sample') return this.unknownSubject('a samples subject');
    const decoded = decodeResourceSample(data);
    if (!decoded.ok) return refuse(decoded.problems);
    const sample = decoded.value;
    const problems = this.clusterProblems(sample.cluster);
    if (sample.service !== parsed.service) {
      problems.push({ field: 'service', rule: `must be ${parsed.service} (the subject's)` });
    }
    if (sample.node !== parsed.node) {
      problems.push({ field: 'node', rule: `must be ${parsed.node} (the subject's)` });
    }
    if (problems.length > 0) return refuse(problems);
    return { ok: true, points: [resourceSamplePoint(sample)] };
  }

  private decodeResult(subject: string, data: Uint8Array): Verdict {
    const parsed = this.subjects.parse(subject);
    if (parsed?.kind !== 'result') return this.unknownSubject('a results subject');
    let result: MeasurementResult;
    const quick = quickParse(data);
    if (isSurelyValidResult(quick)) {
      result = quick as MeasurementResult;
    } else {
      const decoded = decodeMeasurementResult(data);
      if (!decoded.ok) return refuse(decoded.problems);
      result = decoded.value;
    }
    const problems = this.clusterProblems(result.cluster);
    if (result.monitor !== parsed.monitor) {
      problems.push({ field: 'monitor', rule: `must be ${parsed.monitor} (the subject's)` });
    }
    if (result.sensor !== parsed.sensor) {
      problems.push({ field: 'sensor', rule: `must be ${parsed.sensor} (the subject's)` });
    }
    if (problems.length > 0) return refuse(problems);
    return { ok: true, points: resultPoints(result, this.context) };
  }

  private decodeEvent(subject: string, data: Uint8Array, sequence: number): Verdict {
    const parsed = this.subjects.parse(subject);
    if (parsed?.kind !== 'event') return this.unknownSubject('an events subject');
    if (parsed.type === 'error') {
      const decoded = decodeErrorEventMessage(data);
      if (!decoded.ok) return refuse(decoded.problems);
      const problems = this.clusterProblems(decoded.value.cluster);
      if (problems.length > 0) return refuse(problems);
      return { ok: true, points: [errorEventPoint(decoded.value, sequence)] };
    }
    const decoded = decodeSchedulerEventMessage(data);
    if (!decoded.ok) return refuse(decoded.problems);
    const problems = this.clusterProblems(decoded.value.cluster);
    if (decoded.value.event.type !== parsed.type) {
      problems.push({ field: 'event.type', rule: `must be ${parsed.type} (the subject's)` });
    }
    if (problems.length > 0) return refuse(problems);
    return { ok: true, points: [schedulerEventPoint(decoded.value, sequence)] };
  }

  private clusterProblems(cluster: string): Problem[] {
    return cluster === this.subjects.cluster
      ? []
      : [{ field: 'cluster', rule: `must be ${this.subjects.cluster} (the stream's)` }];
  }

  private unknownSubject(expected: string): Verdict {
    return refuse(
      [{ field: 'subject', rule: `must be ${expected} of this cluster` }],
      DeadLetterReasons.unknownSubject,
    );
  }
}

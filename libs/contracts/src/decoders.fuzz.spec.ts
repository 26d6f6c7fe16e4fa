/**
 * Decoders face whatever arrives on NATS, so they are run here against random garbage:
 * they must return problems (never throw), and whatever they accept must re-encode to
 * the same value (so a service can forward or log what it accepted).
 */
import fc from 'fast-check';
import { decodeErrorReply } from './errors/error-reply.dto.js';
import {
  decodeErrorEventMessage,
  decodeSchedulerEventMessage,
  SchedulerEventMessageContract,
} from './events/event-messages.js';
import { decodeMeasurementResult } from './results/measurement-result.dto.js';
import { decodeManualIntents } from './control/intents-control.dto.js';
import { decodeSchedulerControl } from './control/scheduler-control.dto.js';
import { decodeFlowMap } from './flows/flow-map.dto.js';
import { decodeResourceSample } from './samples/resource-sample.dto.js';
import { decodeMeasureReply, decodeMeasureRequest } from './measure/measure-request.dto.js';
import {
  decodeSchedulerEnvelope,
  encodeSchedulerEnvelope,
} from './scheduler/scheduler-envelope.js';
import {
  SAMPLE_SENDER,
  SCHEDULER_MESSAGE_SAMPLES,
} from './scheduler/scheduler-message.fixtures.js';
import {
  decodeServerStartReply,
  decodeServerStartRequest,
} from './sensor-server/server-start.dto.js';
import { decodeServerStopReply, decodeServerStopRequest } from './sensor-server/server-stop.dto.js';
import { problemsWith } from './validation/codec.js';
import type { Decoded } from './validation/problem.js';

type Decoder = (payload: Uint8Array | string) => Decoded<unknown>;

const DECODERS: readonly [string, Decoder][] = [
  ['decodeSchedulerEnvelope', decodeSchedulerEnvelope],
  ['decodeServerStartRequest', decodeServerStartRequest],
  ['decodeServerStartReply', decodeServerStartReply],
  ['decodeServerStopRequest', decodeServerStopRequest],
  ['decodeServerStopReply', decodeServerStopReply],
  ['decodeErrorReply', decodeErrorReply],
  ['decodeMeasurementResult', decodeMeasurementResult],
  ['decodeSchedulerEventMessage', decodeSchedulerEventMessage],
  ['decodeErrorEventMessage', decodeErrorEventMessage],
  ['decodeSchedulerControl', decodeSchedulerControl],
  ['decodeManualIntents', decodeManualIntents],
  ['decodeMeasureRequest', decodeMeasureRequest],
  ['decodeMeasureReply', decodeMeasureReply],
  ['decodeFlowMap', decodeFlowMap],
  ['decodeResourceSample', decodeResourceSample],
];

const RUNS = { numRuns: 600 };

/** The result is well formed: ok with a value, or problems that are string pairs. */
function expectWellFormed(decoded: Decoded<unknown>): void {
  expect(typeof decoded.ok).toBe('boolean');
  if (decoded.ok) return;
  expect(decoded.problems.length).toBeGreaterThan(0);
  for (const problem of decoded.problems) {
    expect(Object.keys(problem).sort()).toEqual(['field', 'rule']);
    expect(typeof problem.field).toBe('string');
    expect(typeof problem.rule).toBe('string');
  }
}

const DANGEROUS_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'then',
  'type',
  'v',
  'ok',
  'message',
  'event',
];

/** JSON text for objects with keys JSON.stringify cannot produce from a literal (`__proto__`). */
const dangerousJson: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.json(),
    fc
      .array(fc.tuple(fc.constantFrom(...DANGEROUS_KEYS), tie('node')), { maxLength: 4 })
      .map(
        (entries) =>
          `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`,
      ),
  ),
})).node;

/** A valid envelope with one field somewhere replaced by a random JSON value. */
const mutatedEnvelope = fc
  .tuple(
    fc.constantFrom(...Object.values(SCHEDULER_MESSAGE_SAMPLES)),
    fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    fc.jsonValue(),
  )
  .map(([message, choices, replacement]) => {
    const root = JSON.parse(
      JSON.stringify({ v: 1, from: SAMPLE_SENDER, sentAtMs: 1, message }),
    ) as Record<string, unknown>;
    let node: Record<string, unknown> = root;
    for (const [depth, choice] of choices.entries()) {
      const keys = Object.keys(node);
      const key = keys[choice % keys.length]!;
      const child = node[key];
      if (depth === choices.length - 1 || typeof child !== 'object' || child === null) {
        node[key] = replacement;
        break;
      }
      node = child as Record<string, unknown>;
    }
    return JSON.stringify(root);
  });

describe('decoders on garbage', () => {
  afterAll(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(DECODERS)('%s - any value at all (not even bytes) gives problems', (_name, decode) => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withSet: true }),
        (value) => {
          const decoded = decode(value as string);
          expectWellFormed(decoded);
          if (typeof value !== 'string') expect(decoded.ok).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it.each(DECODERS)('%s - any JSON text is decoded or refused', (_name, decode) => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), (text) => expectWellFormed(decode(text))),
      RUNS,
    );
  });

  it.each(DECODERS)('%s - any bytes are decoded or refused', (_name, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => expectWellFormed(decode(bytes))),
      RUNS,
    );
  });

  it.each(DECODERS)('%s - prototype keys never get through', (_name, decode) => {
    fc.assert(
      fc.property(dangerousJson, (text) => {
        const decoded = decode(`{"v":1,"x":${text},"__proto__":{"polluted":true}}`);
        expectWellFormed(decoded);
        expect(decoded.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('envelope - a junk message under a valid envelope is refused', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (message) => {
        const text = JSON.stringify({ v: 1, from: SAMPLE_SENDER, sentAtMs: 1, message });
        expectWellFormed(decodeSchedulerEnvelope(text));
      }),
      RUNS,
    );
  });

  it('envelope - whatever a mutated envelope decodes to re-encodes to the same value', () => {
    fc.assert(
      fc.property(mutatedEnvelope, (text) => {
        const decoded = decodeSchedulerEnvelope(text);
        expectWellFormed(decoded);
        if (!decoded.ok) return;
        const { from, message, sentAtMs } = decoded.value;
        expect(decodeSchedulerEnvelope(encodeSchedulerEnvelope(from, message, sentAtMs))).toEqual(
          decoded,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('problemsWith - values no JSON parser makes (cycles, Maps, null prototypes) give problems', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withNullPrototype: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withBoxedValues: true,
          withObjectString: true,
        }),
        (value) => {
          const cyclic = { v: 1, event: { type: 'service-started' }, junk: value } as Record<
            string,
            unknown
          >;
          cyclic.self = cyclic;
          expect(Array.isArray(problemsWith(SchedulerEventMessageContract, value))).toBe(true);
          expect(problemsWith(SchedulerEventMessageContract, cyclic).length).toBeGreaterThan(0);
        },
      ),
      RUNS,
    );
  });
});

/**
 * `sink.dead-letter`: a message the result sink refused, kept (in the dead-letter stream)
 * with the reason instead of being dropped, so an operator can see what a service sent
 * and fix it. The original was acknowledged after this was stored: it is not retried.
 */
import { MAX_PROBLEMS_ON_WIRE, ProblemV1 } from '../errors/error-reply.dto.js';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import { boundedProblems, type Decoded, type Problem } from '../validation/problem.js';
import {
  customRule,
  IsCode,
  IsIntAtLeast,
  IsLiteral,
  IsNumberAtLeast,
  IsText,
  NestedList,
} from '../validation/rules.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';

/** The refused payload is kept as text up to this many characters. */
export const MAX_DEAD_LETTER_PAYLOAD = 4096;

export const DeadLetterReasons = {
  /** The payload failed its contract; `problems` says which field broke which rule. */
  invalidMessage: 'invalid-message',
  /** The subject is not one the sink stores (wrong area, unknown event type). */
  unknownSubject: 'unknown-subject',
  /** InfluxDB refused the point for good (a 4xx other than a missing database). */
  rejectedByStore: 'rejected-by-store',
} as const;

export interface DeadLetter {
  readonly v: ContractVersion;
  /** The JetStream stream and sequence the message came from. */
  readonly stream: string;
  readonly sequence: number;
  readonly subject: string;
  /** One of DeadLetterReasons (kebab-case, so a newer sink's reasons still decode). */
  readonly reason: string;
  readonly problems: readonly Problem[];
  /** The payload as UTF-8 text (invalid bytes replaced), cut to MAX_DEAD_LETTER_PAYLOAD. */
  readonly payload: string;
  /** The payload's full size in bytes, so a cut payload is recognisable. */
  readonly payloadBytes: number;
  /** The sink's wall clock when it refused the message, ms since the epoch. */
  readonly atMs: number;
}

/** Empty payloads are dead-lettered too, so not IsText (which wants at least one). */
const IsPayloadText = (): PropertyDecorator =>
  customRule('isPayloadText', (value) =>
    typeof value === 'string' && value.length <= MAX_DEAD_LETTER_PAYLOAD
      ? null
      : `must be a string of at most ${MAX_DEAD_LETTER_PAYLOAD} characters`,
  );

export class DeadLetterV1 implements DeadLetter {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsText(256) readonly stream!: string;
  @IsIntAtLeast(1) readonly sequence!: number;
  @IsText(256) readonly subject!: string;
  @IsCode() readonly reason!: string;
  @NestedList(() => ProblemV1, MAX_PROBLEMS_ON_WIRE) readonly problems!: ProblemV1[];
  @IsPayloadText() readonly payload!: string;
  @IsIntAtLeast(0) readonly payloadBytes!: number;
  @IsNumberAtLeast(0) readonly atMs!: number;
}

export const DeadLetterContract = defineContract<DeadLetter>('dead letter', DeadLetterV1);

export const decodeDeadLetter = (payload: Uint8Array | string): Decoded<DeadLetter> =>
  decodeWith(DeadLetterContract, payload);

export const encodeDeadLetter = (deadLetter: DeadLetter): Uint8Array =>
  encodeWith(DeadLetterContract, deadLetter);

const lenientUtf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Builds a dead letter that always encodes, whatever was refused: the payload is decoded
 * leniently and cut, the subject cut, and the problems bounded.
 */
export function deadLetterOf(refused: {
  stream: string;
  sequence: number;
  subject: string;
  reason: string;
  problems: readonly Problem[];
  payload: Uint8Array;
  atMs: number;
}): DeadLetter {
  // Decode at most a few bytes per kept character (UTF-8 needs up to 4).
  const head = refused.payload.subarray(0, MAX_DEAD_LETTER_PAYLOAD * 4);
  const text = lenientUtf8.decode(head).slice(0, MAX_DEAD_LETTER_PAYLOAD);
  return {
    v: CONTRACT_VERSION,
    stream: refused.stream.slice(0, 256),
    sequence: refused.sequence,
    subject: refused.subject.slice(0, 256) || '(none)',
    reason: refused.reason,
    problems: boundedProblems(refused.problems).map(({ field, rule }) => ({
      field,
      rule: rule.slice(0, 1000) || '(none)',
    })),
    payload: text,
    payloadBytes: refused.payload.byteLength,
    atMs: refused.atMs,
  };
}

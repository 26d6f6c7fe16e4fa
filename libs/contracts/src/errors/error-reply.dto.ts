/**
 * The failure reply every request handler sends, whatever the request: `ok: false` with
 * a code, a message for people and, for invalid requests, the problems. Each request's
 * reply type is its success shape or this, told apart by `ok`.
 */
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import {
  boundedProblems,
  MAX_FIELD_LENGTH,
  type Decoded,
  type Problem,
} from '../validation/problem.js';
import {
  IsCode,
  IsLiteral,
  IsText,
  Nested,
  NestedList,
  Optional,
  customRule,
} from '../validation/rules.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { boundedErrorMessage, ErrorCodes, MAX_ERROR_MESSAGE_LENGTH } from './error-codes.js';

/** Enough for what `boundedProblems` returns (MAX_PROBLEMS plus the "more" line). */
export const MAX_PROBLEMS_ON_WIRE = 64;

export interface ErrorDetails {
  readonly code: string;
  readonly message: string;
  readonly problems?: readonly Problem[];
}

export interface ErrorReply {
  readonly v: ContractVersion;
  readonly ok: false;
  readonly error: ErrorDetails;
}

/** A field may be empty (an unknown key named ''), so not IsText. */
const IsFieldPath = (): PropertyDecorator =>
  customRule('isFieldPath', (value) =>
    typeof value === 'string' && value.length <= MAX_FIELD_LENGTH
      ? null
      : `must be a string of at most ${MAX_FIELD_LENGTH} characters`,
  );

export class ProblemV1 implements Problem {
  @IsFieldPath() readonly field!: string;
  @IsText(1000) readonly rule!: string;
}

export class ErrorDetailsV1 implements ErrorDetails {
  @IsCode() readonly code!: string;
  @IsText(MAX_ERROR_MESSAGE_LENGTH) readonly message!: string;
  @Optional() @NestedList(() => ProblemV1, MAX_PROBLEMS_ON_WIRE) readonly problems?: ProblemV1[];
}

export class ErrorReplyV1 implements ErrorReply {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsLiteral(false) readonly ok!: false;
  @Nested(() => ErrorDetailsV1) readonly error!: ErrorDetailsV1;
}

export const ErrorReplyContract = defineContract<ErrorReply>('error reply', ErrorReplyV1);

export const decodeErrorReply = (payload: Uint8Array | string): Decoded<ErrorReply> =>
  decodeWith(ErrorReplyContract, payload);

export const encodeErrorReply = (reply: ErrorReply): Uint8Array =>
  encodeWith(ErrorReplyContract, reply);

/** Builds a reply that always encodes: the message and problems are cut to the limits. */
export function errorReply(
  code: string,
  message: string,
  problems?: readonly Problem[],
): ErrorReply {
  const error: ErrorDetails = {
    code,
    message: boundedErrorMessage(message, code),
    ...(problems === undefined ? {} : { problems: boundedProblems(problems) }),
  };
  return { v: CONTRACT_VERSION, ok: false, error };
}

/** The reply to a request that failed validation. */
export function invalidMessageReply(problems: readonly Problem[]): ErrorReply {
  return errorReply(ErrorCodes.invalidMessage, 'the request is not a valid message', problems);
}

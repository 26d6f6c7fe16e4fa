/**
 * Decoding and encoding for every contract. Decoding never throws, whatever the bytes:
 * a service answers a bad request with an error reply and drops a bad event with an
 * error event, and it can only do that if it gets the problems back as a value.
 *
 * The decoded value is the parsed JSON itself (plain objects, no class instances), which
 * passed validation with unknown properties refused, so it is exactly the TypeScript
 * shape the contract declares and can go straight into the scheduling core.
 *
 * Encoding validates what would be sent by decoding it again: an outbound message the
 * peer would refuse is a bug on this side and throws here, next to its cause.
 */
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { CONTRACT_VERSION } from '../version.js';
import { flattenErrors } from './flatten-errors.js';
import { parsePayload, structureProblems } from './payload.js';
import {
  BODY_FIELD,
  boundedProblems,
  describeProblems,
  fieldPath,
  type Decoded,
  type Problem,
} from './problem.js';
import { isRecord } from './rules.js';
import { isUnionShape, unionFieldsOf, variantFor, type Shape } from './shape.js';

/** A named, versioned message body; `T` is the TypeScript type a valid body has. */
export interface Contract<T> {
  readonly name: string;
  readonly shape: Shape;
  /** Never set: carries `T` for type inference only. */
  readonly __type?: T;
}

export function defineContract<T>(name: string, shape: Shape): Contract<T> {
  return { name, shape };
}

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: false },
};

/** Thrown by `encodeWith` when this side is about to send something its peer would refuse. */
export class OutboundMessageError extends Error {
  override readonly name = 'OutboundMessageError';

  constructor(
    readonly contract: string,
    readonly problems: readonly Problem[],
    options?: ErrorOptions,
  ) {
    super(`refusing to send an invalid ${contract}: ${describeProblems(problems)}`, options);
  }
}

function validateShape(shape: Shape, value: unknown, path: string, out: Problem[]): void {
  if (!isRecord(value)) {
    out.push({ field: path || BODY_FIELD, rule: 'must be an object' });
    return;
  }
  if (isUnionShape(shape)) {
    const variant = variantFor(shape, value[shape.key]);
    if (variant === undefined) {
      const tags = [...shape.variants.keys()].join(', ');
      out.push({ field: fieldPath(path, shape.key), rule: `must be one of ${tags}` });
      return;
    }
    validateShape(variant, value, path, out);
    return;
  }
  const instance = plainToInstance(shape, value, { enableCircularCheck: true });
  flattenErrors(validateSync(instance, VALIDATOR_OPTIONS), path, out);
  for (const field of unionFieldsOf(shape)) {
    const child = value[field.property];
    // A non-object was already reported by the field's own object check.
    if (isRecord(child)) validateShape(field.shape(), child, fieldPath(path, field.property), out);
  }
}

/**
 * Checks an already parsed value against a contract (the same checks `decodeWith` runs
 * after parsing). Returns no problems when it is valid. Never throws.
 */
export function problemsWith<T>(contract: Contract<T>, value: unknown): Problem[] {
  try {
    if (!isRecord(value)) return [{ field: BODY_FIELD, rule: 'must be a JSON object' }];
    const structure = structureProblems(value);
    if (structure.length > 0) return boundedProblems(structure);
    // A body of another version may be shaped differently throughout: say only that.
    if (value.v !== CONTRACT_VERSION) return [{ field: 'v', rule: `must be ${CONTRACT_VERSION}` }];
    const problems: Problem[] = [];
    validateShape(contract.shape, value, '', problems);
    return boundedProblems(problems);
  } catch (error) {
    return unexpectedFailure(error);
  }
}

/** Not expected (payloads are screened first), but a decoder must not throw. */
function unexpectedFailure(error: unknown): Problem[] {
  const kind = error instanceof Error ? error.name : typeof error;
  return [{ field: BODY_FIELD, rule: `could not be validated (${kind})` }];
}

/** Bytes (or a JSON string) to a valid `T`, or the problems. Never throws. */
export function decodeWith<T>(contract: Contract<T>, payload: Uint8Array | string): Decoded<T> {
  try {
    const parsed = parsePayload(payload);
    if (!parsed.ok) return parsed;
    const problems = problemsWith(contract, parsed.value);
    return problems.length === 0 ? { ok: true, value: parsed.value as T } : { ok: false, problems };
  } catch (error) {
    // Only an exotic argument from code (a Proxy, say) gets here.
    return { ok: false, problems: unexpectedFailure(error) };
  }
}

const utf8 = new TextEncoder();

/** A valid `T` to UTF-8 JSON. Throws `OutboundMessageError` if the peer would refuse it. */
export function encodeWith<T>(contract: Contract<T>, value: T): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    const problems = [{ field: BODY_FIELD, rule: 'must be serialisable as JSON' }];
    throw new OutboundMessageError(contract.name, problems, { cause });
  }
  if (text === undefined) {
    throw new OutboundMessageError(contract.name, [
      { field: BODY_FIELD, rule: 'must be a JSON object' },
    ]);
  }
  const decoded = decodeWith(contract, text);
  if (!decoded.ok) throw new OutboundMessageError(contract.name, decoded.problems);
  return utf8.encode(text);
}

/**
 * The validation rules every contract is written with. Each rule is one class-validator
 * constraint whose message is the rule text a peer sees (`must be an integer >= 0`), so
 * problems read the same whichever field broke them. One constraint per property wherever
 * possible: decorators run bottom-up, and with `stopAtFirstError` a single combined check
 * gives one clear problem instead of an order-dependent pair.
 *
 * Array rules report the offending element: their message carries a sub-path (see
 * `withSubpath`) that the flattener appends to the field, giving `members.3`.
 */
import { Type } from 'class-transformer';
import {
  ValidateBy,
  ValidateIf,
  ValidateNested,
  isIP,
  type ValidationArguments,
} from 'class-validator';
import { CLUSTER_NAME_RULE, NODE_NAME_RULE, isClusterName, isNodeName } from '../names.js';

// ---- rule plumbing --------------------------------------------------------------------

/** Returns the broken rule's text, or null when the value passes. */
type Check = (value: unknown, args: ValidationArguments) => string | null;

const SUBPATH_MARK = '\u0000';

/** A rule text that names an element below the decorated property (`3`, `2.1`). */
export function withSubpath(subpath: string | number, rule: string): string {
  return `${SUBPATH_MARK}${subpath}${SUBPATH_MARK}${rule}`;
}

/** Undoes `withSubpath`; plain messages have an empty sub-path. */
export function splitSubpath(message: string): { subpath: string; rule: string } {
  if (!message.startsWith(SUBPATH_MARK)) return { subpath: '', rule: message };
  const end = message.indexOf(SUBPATH_MARK, 1);
  return { subpath: message.slice(1, end), rule: message.slice(end + 1) };
}

function rule(name: string, check: Check): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => check(value, args!) === null,
      // Called only after validate failed, so the check returns a rule text again.
      defaultMessage: (args?: ValidationArguments) => check(args!.value, args!) ?? 'is invalid',
    },
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

// ---- presence -------------------------------------------------------------------------

/**
 * The property may be absent; `null` is still checked (and refused). class-validator's
 * `@IsOptional` would let `null` through, which the core's `?:` fields do not expect.
 */
export const Optional = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

// ---- scalars --------------------------------------------------------------------------

export const IsLiteral = (expected: string | number | boolean): PropertyDecorator =>
  rule('isLiteral', (value) => (value === expected ? null : `must be ${JSON.stringify(expected)}`));

export const IsOneOf = (values: readonly string[]): PropertyDecorator =>
  rule('isOneOf', (value) =>
    typeof value === 'string' && values.includes(value)
      ? null
      : `must be one of ${values.join(', ')}`,
  );

export const IsBool = (): PropertyDecorator =>
  rule('isBool', (value) => (typeof value === 'boolean' ? null : 'must be true or false'));

interface NumberRuleOptions {
  /** Also accept null (the rule text then says so). */
  readonly orNull?: boolean;
}

function numberRule(
  name: string,
  text: string,
  test: (value: number) => boolean,
  { orNull = false }: NumberRuleOptions,
): PropertyDecorator {
  const ruleText = orNull ? `${text} or null` : text;
  return rule(name, (value) => {
    if (value === null && orNull) return null;
    return typeof value === 'number' && test(value) ? null : ruleText;
  });
}

/**
 * Safe integers only: beyond 2^53 JSON numbers silently lose precision, and a fencing
 * token or epoch that rounds is worse than one that is refused.
 */
export const IsIntAtLeast = (
  min: number,
  { orNull = false }: NumberRuleOptions = {},
): PropertyDecorator =>
  rule('isIntAtLeast', (value) => {
    if (value === null && orNull) return null;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return null;
    if (typeof value === 'number' && Number.isInteger(value) && value > min) {
      return 'must be at most 2^53 - 1';
    }
    return `must be an integer >= ${min}${orNull ? ' or null' : ''}`;
  });

export const IsIntBetween = (min: number, max: number): PropertyDecorator =>
  numberRule(
    'isIntBetween',
    `must be an integer from ${min} to ${max}`,
    (value) => Number.isInteger(value) && value >= min && value <= max,
    {},
  );

export const IsNumberAtLeast = (min: number, options: NumberRuleOptions = {}): PropertyDecorator =>
  numberRule(
    'isNumberAtLeast',
    `must be a finite number >= ${min}`,
    (value) => Number.isFinite(value) && value >= min,
    options,
  );

export const IsNumberAbove = (min: number, options: NumberRuleOptions = {}): PropertyDecorator =>
  numberRule(
    'isNumberAbove',
    `must be a finite number > ${min}`,
    (value) => Number.isFinite(value) && value > min,
    options,
  );

export const IsPercent = (options: NumberRuleOptions = {}): PropertyDecorator =>
  numberRule(
    'isPercent',
    'must be a number from 0 to 100',
    (value) => Number.isFinite(value) && value >= 0 && value <= 100,
    options,
  );

/** An end time: a finite number >= 0 and not before the sibling field `startField`. */
export const IsNotBefore = (startField: string): PropertyDecorator =>
  rule('isNotBefore', (value, args) => {
    if (!isFiniteNumber(value) || value < 0) return 'must be a finite number >= 0';
    const start = (args.object as Record<string, unknown>)[startField];
    return isFiniteNumber(start) && value < start ? `must be >= ${startField}` : null;
  });

// ---- strings --------------------------------------------------------------------------

export const IsNodeName = (): PropertyDecorator =>
  rule('isNodeName', (value) => (isNodeName(value) ? null : NODE_NAME_RULE));

export const IsClusterName = (): PropertyDecorator =>
  rule('isClusterName', (value) => (isClusterName(value) ? null : CLUSTER_NAME_RULE));

const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/** Identifiers (request, view and measurement ids, lease holders): no spaces, no Unicode. */
export const IsToken = (maxLength = 128): PropertyDecorator =>
  rule('isToken', (value) =>
    typeof value === 'string' && value.length <= maxLength && TOKEN_PATTERN.test(value)
      ? null
      : `must be 1-${maxLength} printable ASCII characters without spaces`,
  );

/** Free text for people (error messages): any characters, bounded. */
export const IsText = (maxLength: number): PropertyDecorator =>
  rule('isText', (value) =>
    typeof value === 'string' && value.length >= 1 && value.length <= maxLength
      ? null
      : `must be a string of 1-${maxLength} characters`,
  );

const CODE_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Error codes and event types: kebab-case, so they also fit in a subject token. */
export const IsCode = (): PropertyDecorator =>
  rule('isCode', (value) =>
    typeof value === 'string' && value.length <= 64 && CODE_PATTERN.test(value)
      ? null
      : 'must be a kebab-case code of at most 64 characters',
  );

export const IsIPv4 = (): PropertyDecorator =>
  rule('isIPv4', (value) =>
    typeof value === 'string' && isIP(value, 4) ? null : 'must be an IPv4 address',
  );

// ---- arrays ---------------------------------------------------------------------------

export const IsNodeNameList = (maxItems: number): PropertyDecorator =>
  rule('isNodeNameList', (value) => {
    if (!Array.isArray(value) || value.length > maxItems) {
      return `must be an array of at most ${maxItems} node names`;
    }
    const bad = value.findIndex((item) => !isNodeName(item));
    return bad === -1 ? null : withSubpath(bad, NODE_NAME_RULE);
  });

// ---- nested objects -------------------------------------------------------------------

type ClassOf<T> = new () => T;

interface NestedOptions {
  readonly orNull?: boolean;
}

/**
 * A nested object validated by its own class. The object check comes first because
 * `@ValidateNested` alone accepts an array of such objects (and validates each).
 */
export function Nested<T>(
  classOf: () => ClassOf<T>,
  { orNull = false }: NestedOptions = {},
): PropertyDecorator {
  const ruleText = orNull ? 'must be an object or null' : 'must be an object';
  const isObject = rule('isObject', (value) =>
    isRecord(value) || (orNull && value === null) ? null : ruleText,
  );
  const nested = ValidateNested();
  const typed = Type(classOf);
  return (target, key) => {
    isObject(target, key);
    if (orNull) ValidateIf((_object: object, value: unknown) => value !== null)(target, key);
    nested(target, key);
    typed(target, key);
  };
}

/** An array of nested objects, each validated by its class; paths name the element. */
export function NestedList<T>(classOf: () => ClassOf<T>, maxItems: number): PropertyDecorator {
  const isList = rule('isObjectList', (value) => {
    if (!Array.isArray(value) || value.length > maxItems) {
      return `must be an array of at most ${maxItems} objects`;
    }
    const bad = value.findIndex((item) => !isRecord(item));
    return bad === -1 ? null : withSubpath(bad, 'must be an object');
  });
  const nested = ValidateNested({ each: true });
  const typed = Type(classOf);
  return (target, key) => {
    isList(target, key);
    nested(target, key);
    typed(target, key);
  };
}

/** For rules defined next to their contract (e.g. pair lists). */
export { rule as customRule };

/**
 * The rules the API's DTOs are written with. Each is one class-validator constraint whose
 * message is the rule text a client sees (`must be an integer >= 0`), in the words the
 * NATS contracts use, so a problem reads the same on either side.
 */
import { ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { NODE_NAME_RULE, isNodeName } from '@meshmon/contracts';

type Check = (value: unknown, args: ValidationArguments) => string | null;

export function rule(name: string, check: Check): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => check(value, args!) === null,
      defaultMessage: (args?: ValidationArguments) => check(args!.value, args!) ?? 'is invalid',
    },
  });
}

/** May be absent; null is still checked (and refused unless the rule allows it). */
export const Optional = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

export const IsNodeNameField = (): PropertyDecorator =>
  rule('isNodeName', (value) => (isNodeName(value) ? null : NODE_NAME_RULE));

export const IsOneOfField = (values: readonly string[]): PropertyDecorator =>
  rule('isOneOf', (value) =>
    typeof value === 'string' && values.includes(value)
      ? null
      : `must be one of ${values.join(', ')}`,
  );

export const IsFiniteNumberField = (): PropertyDecorator =>
  rule('isFiniteNumber', (value) =>
    typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number',
  );

export const IsIntInRange = (
  min: number,
  max: number,
  options: { orNull?: boolean } = {},
): PropertyDecorator =>
  rule('isIntInRange', (value) => {
    if (options.orNull && value === null) return null;
    return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
      ? null
      : `must be an integer in ${min}..${max}${options.orNull ? ' or null' : ''}`;
  });

/** Query strings arrive as text: a pattern with a readable rule. */
export const MatchesField = (pattern: RegExp, ruleText: string): PropertyDecorator =>
  rule('matches', (value) => (typeof value === 'string' && pattern.test(value) ? null : ruleText));

/** ms since the epoch (digits) or an ISO 8601 date; the service converts it. */
export const IsTimeField = (): PropertyDecorator =>
  rule('isTime', (value) =>
    typeof value === 'string' && parseTime(value) !== null
      ? null
      : 'must be ms since the epoch or an ISO 8601 date',
  );

/** ms since the epoch for digits or an ISO date; null when neither (or out of range). */
export function parseTime(text: string): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

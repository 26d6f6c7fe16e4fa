/**
 * class-validator reports a tree of ValidationErrors; peers get flat `{ field, rule }`
 * pairs with dotted paths. The few built-in constraints whose messages name the property
 * ("property x should not exist") are mapped to rule texts in the house style.
 */
import type { ValidationError } from 'class-validator';
import { fieldPath, type Problem } from './problem.js';
import { splitSubpath } from './rules.js';

const BUILT_IN_RULES: Readonly<Record<string, string>> = {
  whitelistValidation: 'is not allowed',
  nestedValidation: 'must be an object',
  unknownValue: 'must be an object',
};

export function flattenErrors(
  errors: readonly ValidationError[],
  parent: string,
  out: Problem[],
): void {
  for (const error of errors) {
    const field = fieldPath(parent, String(error.property));
    for (const [name, message] of Object.entries(error.constraints ?? {})) {
      const builtIn = BUILT_IN_RULES[name];
      if (builtIn !== undefined) {
        out.push({ field, rule: builtIn });
        continue;
      }
      const { subpath, rule } = splitSubpath(message);
      out.push({ field: subpath === '' ? field : fieldPath(field, subpath), rule });
    }
    if (error.children && error.children.length > 0) flattenErrors(error.children, field, out);
  }
}

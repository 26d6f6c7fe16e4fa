/**
 * What a decoder reports instead of throwing. The services put these pairs into error
 * replies and `events.error` unchanged, so they are kept small and bounded: a hostile
 * payload with a million unknown keys must not turn into a million-problem error event.
 */

import type { Problem } from '@meshmon/scheduling';

export type { Problem };

export type Decoded<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: Problem[] };

/** The field name used for problems with the payload as a whole. */
export const BODY_FIELD = '(body)';

/** A decoder lists at most this many problems, plus one saying that more were left out. */
export const MAX_PROBLEMS = 20;

/** Field paths are cut to this length (an unknown key may be arbitrarily long). */
export const MAX_FIELD_LENGTH = 200;

/** Joins a parent path and a key the way problems name fields. */
export function fieldPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}

/** Caps the count and the field lengths, so problems always fit an error event. */
export function boundedProblems(problems: readonly Problem[]): Problem[] {
  const bounded = problems.slice(0, MAX_PROBLEMS).map(({ field, rule }) => ({
    field: field.length > MAX_FIELD_LENGTH ? `${field.slice(0, MAX_FIELD_LENGTH - 1)}…` : field,
    rule,
  }));
  if (problems.length > MAX_PROBLEMS) {
    bounded.push({ field: BODY_FIELD, rule: 'has more problems than listed' });
  }
  return bounded;
}

/** One line for logs: `message.slot.cycle must be an integer >= 0; v must be 1`. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map(({ field, rule }) => `${field} ${rule}`).join('; ');
}

/** Small helpers shared by the contract specs. */
import type { Decoded } from '../validation/problem.js';

export const problemsOf = <T>(decoded: Decoded<T>) => (decoded.ok ? [] : decoded.problems);

/** The value as JSON text with some fields replaced (undefined removes a field). */
export const withChanges = (value: object, changes: Record<string, unknown>): string =>
  JSON.stringify({ ...value, ...changes });

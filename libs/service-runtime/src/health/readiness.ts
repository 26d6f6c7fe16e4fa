import type { Problem } from '@meshmon/scheduling';
import { withDeadline } from '../with-deadline.js';

/** What keeps a service from working, each naming the setting to look at; empty = ready. */
export type Readiness = () => Promise<readonly Problem[]>;

/** Each dependency gets this long to answer a readiness check before it counts as down. */
export const DEPENDENCY_CHECK_MS = 1000;

/**
 * Runs one dependency check with a deadline and turns a failure (or a timeout) into a
 * problem on `field`, so `/health/ready` says which setting points at the dead server.
 */
export async function dependencyProblem(
  field: string,
  what: string,
  check: () => Promise<unknown>,
  timeoutMs = DEPENDENCY_CHECK_MS,
): Promise<Problem[]> {
  try {
    await withDeadline(check(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
    return [];
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return [{ field, rule: `${what} does not answer (${why.slice(0, 200)})` }];
  }
}

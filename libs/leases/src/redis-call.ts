import { LeaseStoreError } from './lease-errors.js';
import { withDeadline } from '@meshmon/service-runtime/with-deadline.js';

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One Redis round trip with a deadline of its own (the client may be shared, so its
 * `commandTimeout` is not ours to set). Any failure or timeout becomes LeaseStoreError
 * naming `what`.
 */
export async function redisCall<T>(
  what: string,
  command: Promise<T>,
  timeoutMs: number,
): Promise<T> {
  try {
    return await withDeadline(
      command,
      timeoutMs,
      () => new Error(`no reply within ${timeoutMs} ms`),
    );
  } catch (error) {
    throw new LeaseStoreError(`${what}: Redis unreachable or failing: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

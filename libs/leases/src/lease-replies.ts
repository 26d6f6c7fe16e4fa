import { LeaseStoreError } from './lease-errors.js';

// Script replies arrive as `unknown`; these turn them into values or a LeaseStoreError, so a
// reply of the wrong shape (another script version, a proxy mangling RESP) is never guessed at.

/** The acquire script's `{token, ttl ms}` (ours) or nil (someone else holds the lease). */
export function parseGrantReply(
  key: string,
  reply: unknown,
): { token: number; ttlMs: number } | null {
  if (reply === null) return null;
  if (
    Array.isArray(reply) &&
    reply.length === 2 &&
    isInteger(reply[0], 1) &&
    isInteger(reply[1], 0)
  ) {
    return { token: reply[0], ttlMs: reply[1] };
  }
  throw unexpected(key, 'acquire', reply);
}

/** The read script's `{value, remaining ms}` or nil (no lease). */
export function parseReadReply(
  key: string,
  reply: unknown,
): { value: string; ttlMs: number } | null {
  if (reply === null) return null;
  if (Array.isArray(reply) && reply.length === 2 && typeof reply[0] === 'string') {
    const ttlMs = reply[1];
    // PTTL -1: the key has no expiry, so it was not written by acquire, which always sets PX.
    if (ttlMs === -1) throw new LeaseStoreError(`${key} has no expiry; a lease always has one`);
    if (isInteger(ttlMs, 0)) return { value: reply[0], ttlMs };
  }
  throw unexpected(key, 'read', reply);
}

/** The 1-or-0 of the extend, release and withdraw scripts. */
export function parseFlagReply(key: string, script: string, reply: unknown): boolean {
  if (reply === 1 || reply === 0) return reply === 1;
  throw unexpected(key, script, reply);
}

// A remaining ttl may be 0: Redis freezes time inside a script, and a key expires only once
// that time is past its deadline.
function isInteger(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function unexpected(key: string, script: string, reply: unknown): LeaseStoreError {
  return new LeaseStoreError(
    `${key}: unexpected reply to the ${script} script: ${JSON.stringify(reply)}`,
  );
}

import { LeaseStoreError } from './lease-errors.js';

/** What the lease key stores: the fencing token and the holder it was granted to. */
export interface LeaseValue {
  readonly token: number;
  readonly holder: string;
}

const VALUE = /^([1-9][0-9]*)\|(.+)$/s;

export function formatLeaseValue(token: number, holder: string): string {
  return `${token}|${holder}`;
}

/**
 * Reads `<token>|<holder>`. Anything else under a lease key was not written by us (or by an
 * incompatible version), so it is a store error rather than "free" or "someone else's".
 */
export function parseLeaseValue(key: string, value: string): LeaseValue {
  const match = VALUE.exec(value);
  const token = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(token)) {
    throw new LeaseStoreError(
      `${key} holds ${JSON.stringify(value)}, expected "<token>|<holder>" with token an integer >= 1`,
    );
  }
  return { token, holder: match[2] };
}

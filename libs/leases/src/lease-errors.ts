/** A caller passed a bad argument; the message names the field and the rule it broke. */
export class LeaseInputError extends Error {
  override readonly name = 'LeaseInputError';
}

/**
 * Redis failed, did not answer in time, or holds something that is not a lease. The lease
 * state may be unknown: a holder must stop serving, a resource must refuse to serve.
 */
export class LeaseStoreError extends Error {
  override readonly name = 'LeaseStoreError';
}

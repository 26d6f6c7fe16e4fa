import { LeaseInputError } from './lease-errors.js';
import type { Lease } from './lease.js';

// The lease value is `<token>|<holder>`, split at the first '|'. A holder is still kept free of
// '|' so that a value reads the same whichever end one parses it from.
const SEPARATOR = '|';

export function requireSensor(sensor: unknown): string {
  if (typeof sensor !== 'string' || sensor.length === 0) {
    throw new LeaseInputError(`sensor: must be a non-empty string, got ${show(sensor)}`);
  }
  return sensor;
}

export function requireHolder(holder: unknown): string {
  if (typeof holder !== 'string' || holder.length === 0 || holder.includes(SEPARATOR)) {
    throw new LeaseInputError(
      `holder: must be a non-empty string without '${SEPARATOR}', got ${show(holder)}`,
    );
  }
  return holder;
}

/** Positive safe integers only: Redis PX and INCR both live in integers. */
export function requirePositiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new LeaseInputError(`${field}: must be an integer >= 1, got ${show(value)}`);
  }
  return value;
}

/** A lease handed back by a caller, e.g. to extend or release: checked like fresh input. */
export function requireLease(lease: Lease): Lease {
  if (typeof lease !== 'object' || lease === null) {
    throw new LeaseInputError(`lease: must be a Lease object, got ${show(lease)}`);
  }
  requireSensor(lease.sensor);
  requireHolder(lease.holder);
  requirePositiveInteger('token', lease.token);
  return lease;
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  return typeof value;
}

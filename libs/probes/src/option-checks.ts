import { ProbeInputError } from './probe-error.js';

// The tools parse their numbers with atoi (`-t 0.5` silently becomes 0, `-t abc` too), so
// every value is checked here and handed over in a form the tool reads exactly.

export function checkInteger(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ProbeInputError(field, `must be an integer in ${min}..${max} (got ${value})`);
  }
  return value;
}

export function checkPositive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ProbeInputError(field, `must be a finite number > 0 (got ${value})`);
  }
  return value;
}

export const checkPort = (field: string, value: number): number =>
  checkInteger(field, value, 1, 65535);

/**
 * A host name or address handed to the tool as an argument. No shell runs, but a value
 * starting with `-` would still be read as an option (`-f` floods), so that is refused.
 */
export function checkHost(field: string, value: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new ProbeInputError(field, 'must be a non-empty host name or address');
  }
  if (value.startsWith('-') || /[\s\0]/.test(value)) {
    throw new ProbeInputError(
      field,
      `must not start with "-" or contain whitespace (got "${value}")`,
    );
  }
  return value;
}

/** iperf3 `-b`: a number with an optional K/M/G/T suffix and an optional `/burst`. */
export function checkBitrate(field: string, value: string): string {
  if (!/^\d+(\.\d+)?[KMGTkmgt]?(\/\d+)?$/.test(value)) {
    throw new ProbeInputError(field, `must look like 100M, 1.5G or 10M/8 (got "${value}")`);
  }
  return value;
}

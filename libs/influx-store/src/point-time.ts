/**
 * Point timestamps in nanoseconds (written with precision `n`), as decimal strings:
 * an epoch in ns is about 1.7e18, far beyond what a JavaScript number holds exactly.
 *
 * A point's identity is measurement + tags + timestamp, so the timestamp must come from
 * what the point records and never from the time it is written: then a message written
 * twice (redelivered after a crash, re-sent by its publisher) is the same point and
 * overwrites itself. The sub-millisecond part separates points that share a millisecond.
 */

const NANOS_PER_MS = 1_000_000;

/** `ms` (whole milliseconds since the epoch) followed by six digits of `offsetNs`. */
export function nanoTimestamp(ms: number, offsetNs: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a finite number >= 0`);
  if (!Number.isInteger(offsetNs) || offsetNs < 0 || offsetNs >= NANOS_PER_MS) {
    throw new RangeError(`offsetNs must be an integer in 0..${NANOS_PER_MS - 1}`);
  }
  const whole = Math.floor(ms);
  // Sub-millisecond digits of the input are dropped for the offset: identity beats precision.
  return whole === 0 ? String(offsetNs) : `${whole}${String(offsetNs).padStart(6, '0')}`;
}

/**
 * A result's offset: FNV-1a of its measurement id, folded into 0..999 999 ns. Two results
 * of the same pair starting in the same millisecond collide only if their ids hash alike
 * (one in a million), and the same result always lands on the same nanosecond.
 */
export function measurementOffsetNs(measurementId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < measurementId.length; index += 1) {
    hash ^= measurementId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % NANOS_PER_MS;
}

/**
 * An event's offset: its JetStream sequence, which a redelivery keeps. Events of one
 * reporter and type in the same millisecond differ in sequence, so they stay apart.
 */
export function sequenceOffsetNs(sequence: number): number {
  return sequence % NANOS_PER_MS;
}

/** Result start time of a point, for the result's own timestamp rule. */
export function resultTimestamp(startedAtMs: number, measurementId: string): string {
  return nanoTimestamp(startedAtMs, measurementOffsetNs(measurementId));
}

/** Event time of a point: the reporter's clock plus the stream sequence. */
export function eventTimestamp(atMs: number, sequence: number): string {
  return nanoTimestamp(atMs, sequenceOffsetNs(sequence));
}

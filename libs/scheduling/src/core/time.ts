/**
 * All core time is in milliseconds on the caller's clock. The core never reads a clock:
 * every entry point takes `now`, and machines report the next instant they need to be
 * woken through `nextWakeAt()`.
 */
export type Millis = number;

export const seconds = (value: number): Millis => value * 1000;
export const toSeconds = (ms: Millis): number => ms / 1000;

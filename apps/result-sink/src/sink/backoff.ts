/** Sleeps for `ms` or until the signal aborts; resolves false when aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (slept: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(slept);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** In [0, 1); injectable for tests. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": the n-th delay is drawn from [base/2, base]
 * with base = min(max, initial * 2^n). Half the delay is certain (a down InfluxDB is not
 * hammered), half random (several sinks or streams do not retry in lock-step).
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = { initialMs: 100, maxMs: 10_000 }) {}

  /** The delay before the next retry; each call doubles the base up to the cap. */
  nextDelayMs(): number {
    const { initialMs, maxMs, random = Math.random } = this.options;
    // Capped exponent: 2^attempt must not overflow to Infinity after a long outage.
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(base / 2 + random() * (base / 2));
  }

  /** After a success: the next failure starts from the initial delay again. */
  reset(): void {
    this.attempt = 0;
  }

  /** Waits the next delay; false when the signal aborted the wait (shutdown). */
  wait(signal: AbortSignal): Promise<boolean> {
    return sleep(this.nextDelayMs(), signal);
  }
}

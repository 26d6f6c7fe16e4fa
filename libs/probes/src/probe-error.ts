export type ProbeTool = 'iperf3' | 'ping';

/**
 * Why a probe gave no result. The scheduler reacts differently to each: `server-busy` means
 * the sensor is measured by someone else right now (retry later), `connect-failed` that
 * nothing listens there, `timeout` and `cancelled` that the monitor gave up (the child is
 * already gone when the error arrives), the rest that the tool itself misbehaved.
 */
export type ProbeErrorCode =
  | 'timeout'
  | 'cancelled'
  | 'server-busy'
  | 'connect-failed'
  | 'malformed-output'
  | 'spawn-failed'
  | 'failed';

export class ProbeError extends Error {
  override readonly name = 'ProbeError';

  constructor(
    readonly tool: ProbeTool,
    readonly code: ProbeErrorCode,
    message: string,
    /** What the tool said (its error text, or the part of its output that was wrong). */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(`${tool} ${code}: ${message}`, options);
  }
}

/** A probe option that breaks its rule; names the field and the rule, e.g. `port: must be ...`. */
export class ProbeInputError extends Error {
  override readonly name = 'ProbeInputError';

  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

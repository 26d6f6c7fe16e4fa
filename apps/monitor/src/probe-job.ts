import type { ProbeProtocol, ResultAlgorithm } from '@meshmon/contracts';

/** A step of a measurement failed; `code` names which and why, for the probe-failed event. */
export class MeasurementError extends Error {
  override readonly name = 'MeasurementError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One measurement to run: scheduled by the machine, or asked for through the gateway. */
export interface ProbeJob {
  /** Unique across restarts (the monitor adds its boot tag); JetStream dedups by it. */
  readonly measurementId: string;
  readonly sensor: string;
  /** Everything, cleanup included, must be over by then (the sensor's lock may lapse). */
  readonly deadline: number;
  readonly algorithm: ResultAlgorithm;
  readonly protocol: ProbeProtocol;
  /** The lease holder name, which tells the sensor a scheduled probe from a manual one. */
  readonly holder: string;
}

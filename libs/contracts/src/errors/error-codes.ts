/**
 * Error codes that cross NATS (in error replies, failed results and error events). The
 * wire accepts any kebab-case code so that an older peer can still decode a newer one's
 * errors; these are the ones Meshmon's services send today.
 */
export const ErrorCodes = {
  /** The request or event failed validation; `problems` says why. */
  invalidMessage: 'invalid-message',
  /** The fencing token is older than the newest one issued for this sensor. */
  staleFencingToken: 'stale-fencing-token',
  /** The caller does not hold the sensor's lease (expired, or held by another). */
  leaseNotHeld: 'lease-not-held',
  /** The sensor is already serving another measurement. */
  busy: 'busy',
  /** The iperf3 server could not be started. */
  serverFailed: 'server-failed',
  /** No server or measurement with that id. */
  notFound: 'not-found',
  /** The probe ran but failed (exit status, unparsable output). */
  probeFailed: 'probe-failed',
  /** The probe was killed at its deadline. */
  probeTimeout: 'probe-timeout',
  /** A message on a subject this service has no handler for. */
  noHandler: 'no-handler',
  /** A handler threw; the message says what. */
  handlerFailed: 'handler-failed',
  /** The NATS client reported an error for one of the service's subscriptions. */
  subscriptionFailed: 'subscription-failed',
  /** Anything else; the message says what. */
  internal: 'internal',
} as const;

export type KnownErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Long stderr output is cut to this length before it is sent. */
export const MAX_ERROR_MESSAGE_LENGTH = 2000;

/** Cuts a message to what the contracts accept (1 to MAX_ERROR_MESSAGE_LENGTH characters). */
export function boundedErrorMessage(message: string, fallback = 'no details'): string {
  if (message.length === 0) return fallback;
  if (message.length <= MAX_ERROR_MESSAGE_LENGTH) return message;
  return `${message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
}

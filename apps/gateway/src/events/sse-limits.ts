/** The SSE route's bounds (a DI value so tests can shorten the heartbeat). */
export interface SseLimits {
  readonly maxClients: number;
  /** A client with more than this waiting in its socket buffer is dropped. */
  readonly maxBufferedBytes: number;
  readonly heartbeatMs: number;
}

export const SSE_LIMITS = Symbol('SSE_LIMITS');

export const DEFAULT_SSE_LIMITS: SseLimits = {
  maxClients: 256,
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 15_000,
};

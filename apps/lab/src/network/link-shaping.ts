/** tc's own units; `1gbit` is 10^9 bit/s, as tc reads it. */
const UNITS = { kbit: 1e3, mbit: 1e6, gbit: 1e9 } as const;
const RATE = /^(\d{1,6}(?:\.\d{1,3})?)(kbit|mbit|gbit)$/;
const MIN_RATE = 100e3;
const MAX_RATE = 40e9;

/**
 * The token bucket holds at least one 64 KiB GSO packet: veth hands tbf whole TSO/GSO
 * super-packets, and a bucket smaller than one makes tbf split every packet first.
 */
const MIN_BURST_BYTES = 64 * 1024;
/** Classic tbf rule of thumb: the bucket holds one 250 Hz timer tick of traffic. */
const BURST_SECONDS = 0.004;
/**
 * Queue length as delay. The namespaces are microseconds apart, so TCP fills the link with
 * a short queue; a longer one would only add bufferbloat to the RTTs measured under load.
 */
const QUEUE_LATENCY = '20ms';

/** A bad option: names the field and the rule. */
export class LinkOptionError extends Error {
  override readonly name = 'LinkOptionError';

  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

/** Reads a tc rate such as `500mbit` into bit/s; throws LinkOptionError naming `field`. */
export function parseRate(field: string, rate: string): number {
  const match = RATE.exec(rate);
  if (!match) {
    throw new LinkOptionError(
      field,
      `must be a tc rate like 200mbit, 1gbit or 800kbit (got "${rate}")`,
    );
  }
  const bits = Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  if (bits < MIN_RATE || bits > MAX_RATE) {
    throw new LinkOptionError(field, `must be between 100kbit and 40gbit (got "${rate}")`);
  }
  return bits;
}

/** `tc qdisc ... root <these>`: a token bucket at `bitsPerSecond`. */
export function tbfArgs(bitsPerSecond: number): string[] {
  const burst = Math.max(MIN_BURST_BYTES, Math.ceil((bitsPerSecond / 8) * BURST_SECONDS));
  return [
    'tbf',
    'rate',
    `${Math.round(bitsPerSecond)}bit`,
    'burst',
    String(burst),
    'latency',
    QUEUE_LATENCY,
  ];
}

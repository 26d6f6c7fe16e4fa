import { RTT_FIELDS, TAGS, THROUGHPUT_FIELDS } from '@meshmon/influx-store';

/**
 * How stored columns become API fields: throughput columns in camelCase
 * (`bits_per_second` -> `bitsPerSecond`), RTT columns prefixed (`avg_ms` -> `rttAvgMs`),
 * the `ok` tag as a boolean. Names come from libs/influx-store, which the sink writes with.
 */
export const FIELDS = { throughput: THROUGHPUT_FIELDS, rtt: RTT_FIELDS, tags: TAGS } as const;

/** `bits_per_second` -> `bitsPerSecond`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** `avg_ms` -> `rttAvgMs`. */
export function rttFieldName(column: string): string {
  const camel = camelCase(column);
  return `rtt${camel.charAt(0).toUpperCase()}${camel.slice(1)}`;
}

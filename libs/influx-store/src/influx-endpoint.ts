import type { ISingleHostConfig } from 'influx';
import { SharedSettings } from '@meshmon/service-runtime';

/** InfluxDB 1.x's HTTP port, for a URL that names none (http and https alike). */
export const DEFAULT_INFLUX_PORT = SharedSettings.DEFAULT_PORTS['http:'];

export interface InfluxCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * The one way a service turns MESHMON_INFLUX_URL into a connection: host, protocol, the
 * port (8086 when the URL names none, whatever the scheme) and the credentials, given
 * ones (a *_FILE setting) over those in the URL (`http://user:pass@host:8086`,
 * percent-decoded). Only http and https are InfluxDB URLs.
 */
export function influxEndpoint(
  url: string,
  credentials?: InfluxCredentials,
): ISingleHostConfig & { host: string; port: number; protocol: 'http' | 'https' } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`an InfluxDB URL is http(s)://host[:port] (got ${parsed.protocol})`);
  }
  const username = credentials?.username ?? decodeURIComponent(parsed.username);
  const password = credentials?.password ?? decodeURIComponent(parsed.password);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? DEFAULT_INFLUX_PORT : Number(parsed.port),
    protocol: parsed.protocol === 'https:' ? 'https' : 'http',
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
  };
}

/** The URL as it may be logged: the password replaced by `***`. */
export function shownInfluxUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}

/** The `authorization` header of an InfluxDB login, for a plain HTTP call to its API. */
export const influxAuthorization = (credentials: InfluxCredentials): string =>
  `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

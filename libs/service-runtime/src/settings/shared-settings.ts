import {
  CLUSTER_NAME_PATTERN,
  CLUSTER_NAME_RULE,
  ORCHESTRATORS,
  RUN_NAME_PATTERN,
  RUN_NAME_RULE,
  nodeNameFromHost,
} from '@meshmon/contracts';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { DEFAULT_NATS_URL } from '../nats/connect-nats.js';
import type { Problem } from '@meshmon/scheduling';
import {
  choiceSetting,
  customSetting,
  integerSetting,
  mapped,
  optional,
  secretSetting,
  textSetting,
  urlSetting,
  type Setting,
} from './setting.js';

/**
 * The settings more than one service reads, declared once here so that a variable means
 * the same, with the same default and rule, in every service. A service's own settings are
 * declared in its own table (apps/<service>/src/config).
 */
export const CLUSTER = textSetting('MESHMON_CLUSTER', {
  default: 'meshmon',
  pattern: CLUSTER_NAME_PATTERN,
  rule: CLUSTER_NAME_RULE,
});

const NODE_NAME = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
  rule: 'must be letters, digits, _, - or ., at most 63',
};
const NODE_VARIABLE = 'MESHMON_NODE';

/**
 * This node's name. A host name's dots become `_` (one NATS subject token), so
 * orchestrators can pass theirs (`spec.nodeName`, `{{.Node.Hostname}}`).
 */
export const NODE = mapped(textSetting(NODE_VARIABLE, NODE_NAME), nodeNameFromHost);

/** A service that runs once per cluster (the gateway) goes by its host's name unless told. */
export const NODE_OR_HOST = mapped(
  textSetting(NODE_VARIABLE, { ...NODE_NAME, default: hostname().slice(0, 63) || 'gateway' }),
  nodeNameFromHost,
);

export const NATS_URL = urlSetting('MESHMON_NATS_URL', {
  default: DEFAULT_NATS_URL,
  schemes: ['nats:', 'tls:'],
});

/**
 * The service's NATS login: its user's nkey seed (or from MESHMON_NATS_NKEY_FILE, a mounted
 * secret). Unset: no login, which only a server without users accepts.
 */
export const NATS_NKEY = secretSetting('MESHMON_NATS_NKEY', {
  default: null,
  pattern: /^SU[A-Z2-7]{56}$/,
  rule: 'must be a NATS user nkey seed: SU and 56 letters A-Z or digits 2-7',
});

export const REDIS_URL = urlSetting('MESHMON_REDIS_URL', {
  default: 'redis://127.0.0.1:6379',
  schemes: ['redis:', 'rediss:'],
});

export const INFLUX_URL = urlSetting('MESHMON_INFLUX_URL', {
  default: 'http://127.0.0.1:8086',
  schemes: ['http:', 'https:'],
});

/**
 * A database or retention policy name: InfluxDB's own names would allow more; these are
 * safe unquoted in InfluxQL too.
 */
export const INFLUX_NAME = {
  pattern: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
  rule: 'must be a letter or _ then letters, digits or _, at most 64',
} as const;

export const INFLUX_DATABASE = textSetting('MESHMON_INFLUX_DATABASE', {
  default: 'meshmon',
  ...INFLUX_NAME,
});

/** A user name a server logs a service in under (InfluxDB, Redis), unset when none. */
const userName = (variable: string) =>
  optional(
    textSetting(variable, {
      pattern: /^[A-Za-z0-9_.@-]{1,64}$/,
      rule: 'must be 1-64 letters, digits, _, ., @ or -',
    }),
  );

/** A user of InfluxDB's authentication; unset: none, or the one in MESHMON_INFLUX_URL. */
export const INFLUX_USERNAME = userName('MESHMON_INFLUX_USERNAME');

/** Its password, or from MESHMON_INFLUX_PASSWORD_FILE (a mounted secret). */
export const INFLUX_PASSWORD = secretSetting('MESHMON_INFLUX_PASSWORD', {
  default: null,
  pattern: /^[\x20-\x7e]{1,256}$/,
  rule: 'must be 1-256 printable ASCII characters',
});

/** The Redis ACL user the service logs in as; unset: the default user. */
export const REDIS_USERNAME = userName('MESHMON_REDIS_USERNAME');

/** Its password, or from MESHMON_REDIS_PASSWORD_FILE (a mounted secret). */
export const REDIS_PASSWORD = secretSetting('MESHMON_REDIS_PASSWORD', {
  default: null,
  pattern: /^[\x21-\x7e]{1,256}$/,
  rule: 'must be 1-256 printable ASCII characters without spaces',
});

/** How a service logs in to Redis (an ACL user, or the default user's password). */
export interface RedisCredentials {
  readonly username: string | null;
  readonly password: string;
}

/** The settings of a Redis login, spread into a service's table beside REDIS_URL. */
export const REDIS_LOGIN = { redisUsername: REDIS_USERNAME, redisPassword: REDIS_PASSWORD };

/** Their values as credentials, or null for none; a user without a password is a problem. */
export function redisCredentials(values: {
  readonly redisUsername: string | null;
  readonly redisPassword: string | null;
}): { credentials: RedisCredentials | null; problems: Problem[] } {
  const { redisUsername: username, redisPassword: password } = values;
  if (password !== null) return { credentials: { username, password }, problems: [] };
  if (username === null) return { credentials: null, problems: [] };
  const rule = `is required when ${REDIS_USERNAME.variable} is set`;
  return { credentials: null, problems: [{ field: REDIS_PASSWORD.variable, rule }] };
}

/** What a service needs to reach InfluxDB; `credentials` over any in the URL. */
export interface InfluxConnection {
  readonly url: string;
  readonly database: string;
  readonly credentials?: { readonly username: string; readonly password: string };
}

/** The values of INFLUX_CONNECTION's settings, as readSettings gives them. */
interface InfluxValues {
  readonly influxUrl: string;
  readonly influxUsername: string | null;
  readonly influxPassword: string | null;
  readonly database: string;
}

/** The settings of an InfluxDB connection, spread into a service's table. */
export const INFLUX_CONNECTION = {
  influxUrl: INFLUX_URL,
  influxUsername: INFLUX_USERNAME,
  influxPassword: INFLUX_PASSWORD,
  database: INFLUX_DATABASE,
};

/**
 * Their values as one connection. The user and the password come both or neither (then
 * the URL's own, if any, count); one without the other is a problem naming the missing one.
 */
export function influxConnection<V extends InfluxValues>(
  values: V,
): { connection: InfluxConnection; problems: Problem[]; rest: Omit<V, keyof InfluxValues> } {
  const {
    influxUrl: url,
    influxUsername: username,
    influxPassword: password,
    database,
    ...rest
  } = values;
  if (username !== null && password !== null) {
    return {
      connection: { url, database, credentials: { username, password } },
      problems: [],
      rest,
    };
  }
  if (username === null && password === null) {
    return { connection: { url, database }, problems: [], rest };
  }
  const [missing, given] =
    username === null ? [INFLUX_USERNAME, INFLUX_PASSWORD] : [INFLUX_PASSWORD, INFLUX_USERNAME];
  const problem = { field: missing.variable, rule: `is required when ${given.variable} is set` };
  return { connection: { url, database }, problems: [problem], rest };
}

/**
 * The self-sampler's interval (every service samples its own CPU, memory, event loop,
 * traffic and cgroup into resource_samples); 0 turns it off.
 */
export const SAMPLE_SECONDS = integerSetting('MESHMON_SAMPLE_SECONDS', {
  default: 5,
  min: 0,
  max: 3600,
});

/** The run the samples belong to (the `run` tag): `npm run compare` names one per comparison. */
export const RUN = textSetting('MESHMON_RUN', {
  default: 'live',
  pattern: RUN_NAME_PATTERN,
  rule: RUN_NAME_RULE,
});

/** Where the services run: the `orchestrator` of their samples and of the sink's points. */
export const ORCHESTRATOR = choiceSetting('MESHMON_ORCHESTRATOR', {
  default: 'none',
  choices: ORCHESTRATORS,
});

/** The sampler's settings, spread into every service's table. */
export const SAMPLING = { sampleSeconds: SAMPLE_SECONDS, run: RUN, orchestrator: ORCHESTRATOR };

/** Whole seconds: iperf3 reads `-t 0.5` as 0 without complaint. */
export const PROBE_SECONDS = integerSetting('MESHMON_PROBE_SECONDS', {
  default: 10,
  min: 1,
  max: 3600,
});

/** 0 picks a free port (tests, the lab). */
export const GATEWAY_PORT = integerSetting('MESHMON_GATEWAY_PORT', {
  default: 8080,
  min: 0,
  max: 65_535,
});

/** First port of the range the sensor's one-off iperf3 servers rotate through. */
export const IPERF_PORT_BASE = integerSetting('MESHMON_IPERF_PORT_BASE', {
  default: 5201,
  min: 1024,
  max: 65_000,
});

export const ADDRESS_VARIABLE = 'MESHMON_ADDRESS';

/**
 * This node's address (MESHMON_ADDRESS), as given. The node agents need an IPv4 address
 * (their probes and servers use it); flow discovery takes either, and none.
 */
export function address(options: {
  readonly families: readonly (4 | 6)[];
  readonly required: boolean;
}): Setting<string | null> {
  const rule =
    options.families.length === 1
      ? `must be an IPv${options.families[0]} address`
      : 'must be an IPv4 or IPv6 address';
  return customSetting<string | null>(ADDRESS_VARIABLE, {
    ...(options.required ? {} : { default: null }),
    parse: (text) => {
      const family = isIP(text);
      return (options.families as number[]).includes(family)
        ? { value: text }
        : { rule: `${rule} (got "${text}")` };
    },
  });
}

/** The port each kind of Meshmon URL means when it names none. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'nats:': 4222,
  'tls:': 4222,
  'redis:': 6379,
  'rediss:': 6379,
  // InfluxDB 1.x listens on 8086 whatever the scheme.
  'http:': 8086,
  'https:': 8086,
};

/** The port of one of the URLs above, named or by its scheme. */
export function portOf(url: string): number {
  const parsed = new URL(url);
  return parsed.port === '' ? (DEFAULT_PORTS[parsed.protocol] ?? 0) : Number(parsed.port);
}

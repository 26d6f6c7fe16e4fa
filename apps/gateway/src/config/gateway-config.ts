import {
  ConfigError,
  decimalSetting,
  inTableOrder,
  readSettings,
  secretSetting,
  SharedSettings,
  switchSetting,
  textSetting,
  type Env,
  type FileReader,
  type SamplingConfig,
} from '@meshmon/service-runtime';
import { DEFAULT_OUTLIER_THRESHOLDS, type OutlierThresholds } from '@meshmon/analysis';

/** Everything the gateway reads from its environment, checked once at boot. */
export interface GatewayConfig extends SamplingConfig {
  readonly cluster: string;
  /** Its name in its events and NATS connection (MESHMON_NODE, else the host's name). */
  readonly node: string;
  readonly natsUrl: string;
  /** MESHMON_NATS_NKEY(_FILE): the service's NATS login; null: none. */
  readonly natsNkey: string | null;
  readonly redisUrl: string;
  /** Its login (MESHMON_REDIS_USERNAME, MESHMON_REDIS_PASSWORD(_FILE)), or null for none. */
  readonly redisCredentials: SharedSettings.RedisCredentials | null;
  readonly influx: SharedSettings.InfluxConnection;
  readonly http: { readonly host: string; readonly port: number };
  /** Bearer token every `/api/*` route requires; null only when MESHMON_GATEWAY_OPEN=on. */
  readonly token: string | null;
  /** The monitors' probe length: part of a manual measurement's request timeout. */
  readonly probeSeconds: number;
  readonly outliers: OutlierThresholds;
}

/** Bad configuration: every problem, each naming the variable and the rule. */
export class GatewayConfigError extends ConfigError {
  override readonly name = 'GatewayConfigError';
}

/** The gateway's settings: the shared ones (one declaration each) and its own. */
const GATEWAY_SETTINGS = {
  cluster: SharedSettings.CLUSTER,
  node: SharedSettings.NODE_OR_HOST,
  natsUrl: SharedSettings.NATS_URL,
  natsNkey: SharedSettings.NATS_NKEY,
  ...SharedSettings.SAMPLING,
  redisUrl: SharedSettings.REDIS_URL,
  ...SharedSettings.REDIS_LOGIN,
  ...SharedSettings.INFLUX_CONNECTION,
  host: textSetting('MESHMON_GATEWAY_HOST', {
    default: '127.0.0.1',
    pattern: /^[A-Za-z0-9.:-]{1,253}$/,
    rule: 'must be a host name or address',
  }),
  port: SharedSettings.GATEWAY_PORT,
  /**
   * Bearer token every `/api/*` route requires, or from MESHMON_GATEWAY_TOKEN_FILE as
   * Kubernetes and Swarm mount secrets. Required: an API anyone can call to stop all
   * measuring is never the default. Printable ASCII without spaces: what fits an
   * Authorization header unquoted.
   */
  token: secretSetting('MESHMON_GATEWAY_TOKEN', {
    default: null,
    pattern: /^[\x21-\x7e]{16,256}$/,
    rule: 'must be 16-256 printable ASCII characters without spaces',
  }),
  /** on: no token, the API open to whoever reaches the port (a setting may open things up). */
  open: switchSetting('MESHMON_GATEWAY_OPEN', { default: false }),
  probeSeconds: SharedSettings.PROBE_SECONDS,
  throughputRatio: decimalSetting('MESHMON_OUTLIER_THROUGHPUT_RATIO', {
    default: DEFAULT_OUTLIER_THRESHOLDS.throughputRatio,
    accepts: (ratio) => ratio > 0 && ratio < 1,
    rule: 'must be a number between 0 and 1, exclusive',
  }),
  rttRatio: decimalSetting('MESHMON_OUTLIER_RTT_RATIO', {
    default: DEFAULT_OUTLIER_THRESHOLDS.rttRatio,
    accepts: (ratio) => ratio > 1 && ratio <= 1000,
    rule: 'must be a number above 1 and at most 1000',
  }),
};

/** A token, or the API opened on purpose; never both, never neither. */
function accessProblems(
  token: string | null,
  open: boolean,
  tokenRefused: boolean,
  source: string,
) {
  const tokenVariable = GATEWAY_SETTINGS.token.variable;
  const openVariable = GATEWAY_SETTINGS.open.variable;
  if (tokenRefused) return [];
  if (token === null && !open) {
    const rule =
      source === tokenVariable
        ? `is required (or ${tokenVariable}_FILE, a file holding it)`
        : 'must name a file holding the token (this one is empty)';
    return [{ field: source, rule: `${rule}; ${openVariable}=on leaves the API open instead` }];
  }
  if (token !== null && open) {
    return [{ field: openVariable, rule: 'must be off when a token is set' }];
  }
  return [];
}

/** Reads and checks the MESHMON_* variables; throws GatewayConfigError listing every problem. */
export function loadGatewayConfig(env: Env, readFile?: FileReader): GatewayConfig {
  const { values, problems, sources } = readSettings(env, GATEWAY_SETTINGS, readFile);
  const { rest: others, ...influx } = SharedSettings.influxConnection(values);
  const tokenRefused = problems.some((problem) => problem.field === sources.token);
  const access = accessProblems(values.token, values.open, tokenRefused, sources.token);
  const redis = SharedSettings.redisCredentials(values);
  const all = inTableOrder(GATEWAY_SETTINGS, [
    ...problems,
    ...influx.problems,
    ...access,
    ...redis.problems,
  ]);
  if (all.length > 0) throw new GatewayConfigError(all);
  const {
    host,
    port,
    throughputRatio,
    rttRatio,
    open: _open,
    redisUsername: _user,
    redisPassword: _password,
    ...rest
  } = others;
  return {
    ...rest,
    redisCredentials: redis.credentials,
    influx: influx.connection,
    http: { host, port },
    outliers: { ...DEFAULT_OUTLIER_THRESHOLDS, throughputRatio, rttRatio },
  };
}

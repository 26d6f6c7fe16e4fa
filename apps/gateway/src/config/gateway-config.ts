import { readFileSync } from 'node:fs';
import { ConfigError } from '@meshmon/service-runtime';
import { DEFAULT_NATS_URL } from '@meshmon/service-runtime';
import { CLUSTER_NAME_RULE, isClusterName, type Problem } from '@meshmon/contracts';
import { DEFAULT_OUTLIER_THRESHOLDS, type OutlierThresholds } from '@meshmon/analysis';

/** Everything the gateway reads from its environment, checked once at boot. */
export interface GatewayConfig {
  readonly cluster: string;
  readonly natsUrl: string;
  readonly redisUrl: string;
  readonly influx: { readonly url: string; readonly database: string };
  readonly http: { readonly host: string; readonly port: number };
  /** Bearer token every `/api/*` route requires; null leaves the API open. */
  readonly token: string | null;
  /** The monitors' probe length: part of a manual measurement's request timeout. */
  readonly probeSeconds: number;
  readonly outliers: OutlierThresholds;
}

/** Bad configuration: every problem, each naming the variable and the rule. */
export class GatewayConfigError extends ConfigError {
  override readonly name = 'GatewayConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const INTEGER = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const DATABASE = /^[A-Za-z0-9_-]{1,64}$/;
/** Printable ASCII without spaces: what fits an Authorization header unquoted. */
const TOKEN = /^[\x21-\x7e]{16,256}$/;

/** Reads a secret file: its text, or why it cannot be read. */
export type SecretFileReader = (path: string) => string;

/**
 * Reads and checks the MESHMON_* variables; throws GatewayConfigError listing every problem.
 * The token may come from a file (`MESHMON_GATEWAY_TOKEN_FILE`), as Kubernetes and Swarm
 * secrets are mounted; an empty file leaves the API open, as an unset variable does.
 */
export function loadGatewayConfig(
  env: Env,
  readSecret: SecretFileReader = (path) => readFileSync(path, 'utf8'),
): GatewayConfig {
  const problems: Problem[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const matching = (name: string, fallback: string, pattern: RegExp, rule: string): string => {
    const value = read(name) ?? fallback;
    if (!pattern.test(value)) problems.push({ field: name, rule: `${rule} (got "${value}")` });
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    if (!INTEGER.test(value) || Number(value) < min || Number(value) > max) {
      problems.push({ field: name, rule: `must be an integer in ${min}..${max} (got "${value}")` });
      return fallback;
    }
    return Number(value);
  };
  const ratio = (name: string, fallback: number, ok: (n: number) => boolean, rule: string) => {
    const value = read(name);
    if (value === undefined) return fallback;
    if (!DECIMAL.test(value) || !ok(Number(value))) {
      problems.push({ field: name, rule: `${rule} (got "${value}")` });
      return fallback;
    }
    return Number(value);
  };
  const url = (name: string, fallback: string, schemes: readonly string[]): string => {
    const value = read(name) ?? fallback;
    if (!URL.canParse(value) || !schemes.includes(new URL(value).protocol)) {
      const rule = `must be a URL with scheme ${schemes.join(' or ')} (got "${value}")`;
      problems.push({ field: name, rule });
    }
    return value;
  };

  const cluster = read('MESHMON_CLUSTER') ?? 'meshmon';
  if (!isClusterName(cluster)) {
    problems.push({ field: 'MESHMON_CLUSTER', rule: `${CLUSTER_NAME_RULE} (got "${cluster}")` });
  }
  const tokenFile = read('MESHMON_GATEWAY_TOKEN_FILE');
  let token = read('MESHMON_GATEWAY_TOKEN') ?? null;
  let tokenField = 'MESHMON_GATEWAY_TOKEN';
  if (tokenFile !== undefined && token !== null) {
    const rule = 'cannot be set together with MESHMON_GATEWAY_TOKEN (set one of them)';
    problems.push({ field: 'MESHMON_GATEWAY_TOKEN_FILE', rule });
  } else if (tokenFile !== undefined) {
    tokenField = 'MESHMON_GATEWAY_TOKEN_FILE';
    try {
      token = readSecret(tokenFile).trim() || null;
    } catch (error) {
      const why = (error as { code?: string }).code ?? (error as Error).message;
      const rule = `must name a readable file (${why}: "${tokenFile}")`;
      problems.push({ field: 'MESHMON_GATEWAY_TOKEN_FILE', rule });
    }
  }
  if (token !== null && !TOKEN.test(token)) {
    // The value itself is a secret: never echo it.
    const rule = 'must be 16-256 printable ASCII characters without spaces';
    problems.push({ field: tokenField, rule });
  }
  const config: GatewayConfig = {
    cluster,
    natsUrl: url('MESHMON_NATS_URL', DEFAULT_NATS_URL, ['nats:', 'tls:']),
    redisUrl: url('MESHMON_REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    influx: {
      url: url('MESHMON_INFLUX_URL', 'http://127.0.0.1:8086', ['http:', 'https:']),
      database: matching(
        'MESHMON_INFLUX_DATABASE',
        'meshmon',
        DATABASE,
        'must be 1-64 letters, digits, _ or -',
      ),
    },
    http: {
      host: matching('MESHMON_GATEWAY_HOST', '127.0.0.1', HOST, 'must be a host name or address'),
      port: integer('MESHMON_GATEWAY_PORT', 8080, 0, 65_535),
    },
    token,
    probeSeconds: integer('MESHMON_PROBE_SECONDS', 10, 1, 3600),
    outliers: {
      ...DEFAULT_OUTLIER_THRESHOLDS,
      throughputRatio: ratio(
        'MESHMON_OUTLIER_THROUGHPUT_RATIO',
        DEFAULT_OUTLIER_THRESHOLDS.throughputRatio,
        (n) => n > 0 && n < 1,
        'must be a number between 0 and 1, exclusive',
      ),
      rttRatio: ratio(
        'MESHMON_OUTLIER_RTT_RATIO',
        DEFAULT_OUTLIER_THRESHOLDS.rttRatio,
        (n) => n > 1 && n <= 1000,
        'must be a number above 1 and at most 1000',
      ),
    },
  };
  if (problems.length > 0) throw new GatewayConfigError(problems);
  return config;
}

import { ConfigError } from '@meshmon/service-runtime';
import { DEFAULT_NATS_URL } from '@meshmon/service-runtime';
import { isIP } from 'node:net';
import {
  CLUSTER_NAME_PATTERN,
  NODE_NAME_PATTERN,
  nodeNameFromHost,
  type Problem,
} from '@meshmon/contracts';
import { normalizeAddress } from '@meshmon/discovery';

/** Flow discovery's settings, read once from the environment at boot. */
export interface FlowDiscoveryConfig {
  readonly node: string;
  readonly cluster: string;
  readonly natsUrl: string;
  /** MESHMON_ADDRESS, canonical; listed first in the flow map. */
  readonly address: string | null;
  readonly intervalMs: number;
  /** Where the tcp, tcp6, udp and udp6 tables are read (the process's own namespace). */
  readonly procNetDir: string;
  /** Count loopback flows: only for tests that run several nodes on one host. */
  readonly allowLoopback: boolean;
  /** Meshmon's own ports, sorted: flows with either end on one are not counted. */
  readonly ignorePorts: readonly number[];
  readonly conntrack: ConntrackSettings;
}

export interface ConntrackSettings {
  /** The conntrack binary (a name looked up on PATH, or a path). */
  readonly command: string;
  /** `conntrack -L` is killed after this long. */
  readonly timeoutMs: number;
  /** After a failure, conntrack is tried again this much later. */
  readonly retryMs: number;
}

/** Bad configuration: every problem, each naming the variable and the rule. */
export class FlowDiscoveryConfigError extends ConfigError {
  override readonly name = 'FlowDiscoveryConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const INTEGER = /^\d+$/;
/** More would be a mistake (a range typed as a list), and would slow every lookup. */
const MAX_EXTRA_PORTS = 4096;

/** Reads and checks the variables; throws FlowDiscoveryConfigError listing every problem. */
export function loadFlowDiscoveryConfig(env: Env): FlowDiscoveryConfig {
  const problems: Problem[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const bad = (field: string, rule: string, value: string): void => {
    problems.push({ field, rule: `${rule} (got "${value}")` });
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (INTEGER.test(value) && parsed >= min && parsed <= max) return parsed;
    bad(name, `must be an integer in ${min}..${max}`, value);
    return fallback;
  };
  /** The URL's port (or the scheme's default), or null when the variable is unset. */
  const urlPort = (
    name: string,
    fallback: string | undefined,
    defaults: Record<string, number>,
  ) => {
    const value = read(name) ?? fallback;
    if (value === undefined) return { value: '', port: null };
    try {
      const url = new URL(value);
      const scheme = defaults[url.protocol];
      if (scheme === undefined) throw new Error(`scheme ${url.protocol}`);
      return { value, port: url.port === '' ? scheme : Number(url.port) };
    } catch (_notAUrl) {
      const schemes = Object.keys(defaults).join(' or ');
      bad(name, `must be a URL with scheme ${schemes}`, value);
      return { value, port: null };
    }
  };

  // A host name's dots become `_` (see nodeNameFromHost), so orchestrators can pass theirs.
  const rawNode = read('MESHMON_NODE');
  const node = rawNode === undefined ? undefined : nodeNameFromHost(rawNode);
  if (node === undefined) problems.push({ field: 'MESHMON_NODE', rule: 'is required' });
  else if (!NODE_NAME_PATTERN.test(node)) {
    bad('MESHMON_NODE', 'must be letters, digits, _, - or ., at most 63', rawNode ?? '');
  }
  const cluster = read('MESHMON_CLUSTER') ?? 'meshmon';
  if (!CLUSTER_NAME_PATTERN.test(cluster)) {
    bad('MESHMON_CLUSTER', 'must be lower-case letters, digits or -, at most 32', cluster);
  }
  const rawAddress = read('MESHMON_ADDRESS');
  const address = rawAddress === undefined ? null : normalizeAddress(rawAddress);
  if (rawAddress !== undefined && (address === null || isIP(rawAddress) === 0)) {
    bad('MESHMON_ADDRESS', 'must be an IPv4 or IPv6 address', rawAddress);
  }

  // Meshmon's own services: NATS always (this service uses it too), the others when set.
  const nats = urlPort('MESHMON_NATS_URL', DEFAULT_NATS_URL, {
    'nats:': 4222,
    'tls:': 4222,
  });
  const redis = urlPort('MESHMON_REDIS_URL', undefined, { 'redis:': 6379, 'rediss:': 6379 });
  const influx = urlPort('MESHMON_INFLUX_URL', undefined, { 'http:': 8086, 'https:': 8086 });
  const gatewayPort =
    read('MESHMON_GATEWAY_PORT') === undefined
      ? null
      : integer('MESHMON_GATEWAY_PORT', 0, 1, 65_535);
  const iperfBase = integer('MESHMON_IPERF_PORT_BASE', 5201, 1024, 65_535);
  const iperfCount = integer('MESHMON_IPERF_PORT_COUNT', 16, 1, 1024);
  if (iperfBase + iperfCount - 1 > 65_535) {
    problems.push({
      field: 'MESHMON_IPERF_PORT_COUNT',
      rule: `must keep the range within 65535 (base ${iperfBase} + ${iperfCount} ports)`,
    });
  }
  const ports = new Set<number>(extraPorts(read('MESHMON_IGNORE_PORTS'), problems));
  for (const port of [nats.port, redis.port, influx.port, gatewayPort]) {
    if (port !== null && port > 0) ports.add(port);
  }
  for (let offset = 0; offset < iperfCount && iperfBase + offset <= 65_535; offset += 1) {
    ports.add(iperfBase + offset);
  }

  const allowLoopback = read('MESHMON_DISCOVERY_ALLOW_LOOPBACK') ?? 'false';
  if (allowLoopback !== 'true' && allowLoopback !== 'false') {
    bad('MESHMON_DISCOVERY_ALLOW_LOOPBACK', 'must be true or false', allowLoopback);
  }

  const config: FlowDiscoveryConfig = {
    node: node ?? '',
    cluster,
    natsUrl: nats.value,
    address,
    intervalMs: integer('MESHMON_DISCOVERY_INTERVAL_MS', 2000, 100, 600_000),
    procNetDir: read('MESHMON_PROC_NET') ?? '/proc/self/net',
    allowLoopback: allowLoopback === 'true',
    ignorePorts: [...ports].sort((a, b) => a - b),
    conntrack: {
      command: read('MESHMON_CONNTRACK_COMMAND') ?? 'conntrack',
      timeoutMs: integer('MESHMON_CONNTRACK_TIMEOUT_MS', 2000, 100, 60_000),
      retryMs: integer('MESHMON_CONNTRACK_RETRY_MS', 60_000, 1000, 3_600_000),
    },
  };
  if (problems.length > 0) throw new FlowDiscoveryConfigError(problems);
  return config;
}

/** `4317,9000-9010`: single ports and inclusive ranges. */
function extraPorts(raw: string | undefined, problems: Problem[]): number[] {
  if (raw === undefined) return [];
  const ports: number[] = [];
  for (const part of raw.split(',').map((item) => item.trim())) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const first = Number(match?.[1]);
    const last = Number(match?.[2] ?? match?.[1]);
    if (match === null || first < 1 || last > 65_535 || last < first) {
      problems.push({
        field: 'MESHMON_IGNORE_PORTS',
        rule: `must be a comma-separated list of ports 1-65535 or ranges a-b (bad: "${part}")`,
      });
      return [];
    }
    for (let port = first; port <= last && ports.length <= MAX_EXTRA_PORTS; port += 1) {
      ports.push(port);
    }
    if (ports.length > MAX_EXTRA_PORTS) {
      problems.push({
        field: 'MESHMON_IGNORE_PORTS',
        rule: `must list at most ${MAX_EXTRA_PORTS} ports`,
      });
      return [];
    }
  }
  return ports;
}

import {
  booleanSetting,
  ConfigError,
  customSetting,
  inTableOrder,
  integerSetting,
  mapped,
  optional,
  pathSetting,
  readSettings,
  SharedSettings,
  type Env,
  type Parsed,
  type SamplingConfig,
} from '@meshmon/service-runtime';
import { normalizeAddress } from '@meshmon/discovery';

/** Flow discovery's settings, read once from the environment at boot. */
export interface FlowDiscoveryConfig extends SamplingConfig {
  readonly node: string;
  readonly cluster: string;
  readonly natsUrl: string;
  /** MESHMON_NATS_NKEY(_FILE): the service's NATS login; null: none. */
  readonly natsNkey: string | null;
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

/** More would be a mistake (a range typed as a list), and would slow every lookup. */
const MAX_EXTRA_PORTS = 4096;

/**
 * Flow discovery's settings. The URLs and the gateway port of Meshmon's other services
 * are read only for their ports (flows on them are Meshmon's own, not the applications'),
 * so unset means "not here", not the default.
 */
const FLOW_DISCOVERY_SETTINGS = {
  node: SharedSettings.NODE,
  cluster: SharedSettings.CLUSTER,
  // Canonical (IPv6 lower-case, compressed): it is compared with the kernel's tables.
  address: mapped(SharedSettings.address({ families: [4, 6], required: false }), (address) =>
    address === null ? null : normalizeAddress(address),
  ),
  natsUrl: SharedSettings.NATS_URL,
  natsNkey: SharedSettings.NATS_NKEY,
  ...SharedSettings.SAMPLING,
  redisUrl: optional(SharedSettings.REDIS_URL),
  influxUrl: optional(SharedSettings.INFLUX_URL),
  gatewayPort: optional(SharedSettings.GATEWAY_PORT),
  iperfPortBase: SharedSettings.IPERF_PORT_BASE,
  iperfPortCount: integerSetting('MESHMON_IPERF_PORT_COUNT', { default: 16, min: 1, max: 1024 }),
  extraPorts: customSetting<number[]>('MESHMON_IGNORE_PORTS', { default: [], parse: extraPorts }),
  allowLoopback: booleanSetting('MESHMON_DISCOVERY_ALLOW_LOOPBACK', { default: false }),
  intervalMs: integerSetting('MESHMON_DISCOVERY_INTERVAL_MS', {
    default: 2000,
    min: 100,
    max: 600_000,
  }),
  procNetDir: pathSetting('MESHMON_PROC_NET', { default: '/proc/self/net' }),
  conntrackCommand: pathSetting('MESHMON_CONNTRACK_COMMAND', { default: 'conntrack' }),
  conntrackTimeoutMs: integerSetting('MESHMON_CONNTRACK_TIMEOUT_MS', {
    default: 2000,
    min: 100,
    max: 60_000,
  }),
  conntrackRetryMs: integerSetting('MESHMON_CONNTRACK_RETRY_MS', {
    default: 60_000,
    min: 1000,
    max: 3_600_000,
  }),
};

/** Reads and checks the variables; throws FlowDiscoveryConfigError listing every problem. */
export function loadFlowDiscoveryConfig(env: Env): FlowDiscoveryConfig {
  const { values, problems } = readSettings(env, FLOW_DISCOVERY_SETTINGS);
  const { iperfPortBase, iperfPortCount } = values;
  if (iperfPortBase + iperfPortCount - 1 > 65_535) {
    problems.push({
      field: FLOW_DISCOVERY_SETTINGS.iperfPortCount.variable,
      rule: `must keep the range within 65535 (base ${iperfPortBase} + ${iperfPortCount} ports)`,
    });
  }
  if (problems.length > 0) {
    throw new FlowDiscoveryConfigError(inTableOrder(FLOW_DISCOVERY_SETTINGS, problems));
  }
  // Meshmon's own services: NATS always (this service uses it too), the others when set.
  const ports = new Set<number>(values.extraPorts);
  for (const url of [values.natsUrl, values.redisUrl, values.influxUrl]) {
    if (url !== null) ports.add(SharedSettings.portOf(url));
  }
  if (values.gatewayPort !== null && values.gatewayPort > 0) ports.add(values.gatewayPort);
  for (let offset = 0; offset < iperfPortCount; offset += 1) ports.add(iperfPortBase + offset);
  return {
    node: values.node,
    cluster: values.cluster,
    natsUrl: values.natsUrl,
    natsNkey: values.natsNkey,
    sampleSeconds: values.sampleSeconds,
    run: values.run,
    orchestrator: values.orchestrator,
    address: values.address,
    intervalMs: values.intervalMs,
    procNetDir: values.procNetDir,
    allowLoopback: values.allowLoopback,
    ignorePorts: [...ports].sort((a, b) => a - b),
    conntrack: {
      command: values.conntrackCommand,
      timeoutMs: values.conntrackTimeoutMs,
      retryMs: values.conntrackRetryMs,
    },
  };
}

/** `4317,9000-9010`: single ports and inclusive ranges. */
function extraPorts(text: string): Parsed<number[]> {
  const ports: number[] = [];
  for (const part of text.split(',').map((item) => item.trim())) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const first = Number(match?.[1]);
    const last = Number(match?.[2] ?? match?.[1]);
    if (match === null || first < 1 || last > 65_535 || last < first) {
      return {
        rule: `must be a comma-separated list of ports 1-65535 or ranges a-b (bad: "${part}")`,
      };
    }
    for (let port = first; port <= last && ports.length <= MAX_EXTRA_PORTS; port += 1) {
      ports.push(port);
    }
    if (ports.length > MAX_EXTRA_PORTS)
      return { rule: `must list at most ${MAX_EXTRA_PORTS} ports` };
  }
  return { value: ports };
}

import { ConfigError } from '@meshmon/service-runtime';
import { DEFAULT_NATS_URL } from '@meshmon/service-runtime';
import { CLUSTER_NAME_PATTERN, NODE_NAME_PATTERN, nodeNameFromHost } from '@meshmon/contracts';
import {
  ALGORITHM_NAMES,
  cpsRequestTimeoutMs,
  plainRequestTimeoutMs,
  defaultSchedulerConfig,
  isAlgorithmName,
  mergeSchedulerConfig,
  parseSchedulerParams,
  validateSchedulerConfig,
  type AlgorithmName,
  type Problem,
  type SchedulerConfig,
} from '@meshmon/scheduling';

/**
 * Everything a node service needs, read from its environment. The three services of a
 * node (and every node of a cluster) must get the same cluster, algorithm and scheduler
 * settings; the lab and the deployment manifests pass them all the same variables.
 */
export interface AgentConfig {
  readonly node: string;
  readonly cluster: string;
  readonly natsUrl: string;
  readonly redisUrl: string;
  /**
   * The algorithm to start with (a run called `boot`), or null (`MESHMON_ALGORITHM=none`):
   * wait for a start order from the gateway. A run in force in Redis takes precedence.
   */
  readonly algorithm: AlgorithmName | null;
  /** The membership the node starts with; just itself when it joins a running cluster. */
  readonly members: readonly string[];
  readonly joining: boolean;
  /** This node's address: where its iperf3 server listens and where peers ping it. */
  readonly address: string;
  readonly probe: ProbeSettings;
  readonly scheduler: SchedulerConfig;
  readonly seed: number;
  /** First port of the range the sensor's one-off iperf3 servers rotate through. */
  readonly iperfPortBase: number;
  readonly discovery: DiscoverySettings;
}

/**
 * Discovery mode: the controller turns the flows its node's flow discovery sees into
 * intents. A peer becomes an intent once seen in `enterObservations` flow maps within
 * `windowMs`, and stops being one only after `exitAfterMs` without a flow (hysteresis).
 */
export interface DiscoverySettings {
  readonly enabled: boolean;
  readonly windowMs: number;
  readonly enterObservations: number;
  readonly exitAfterMs: number;
}

export interface ProbeSettings {
  readonly seconds: number;
  readonly protocol: 'tcp' | 'udp';
  /** UDP target rate as iperf3 takes it (e.g. `100M`); UDP only. */
  readonly udpBitrate: string;
  readonly pingCount: number;
  readonly pingIntervalSeconds: number;
}

/** Bad configuration: every problem, each naming the variable and the rule. */
export class AgentConfigError extends ConfigError {
  override readonly name = 'AgentConfigError';
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const INTEGER = /^[+-]?\d+$/;
const BITRATE = /^\d+(\.\d+)?[KMG]?$/;

/**
 * Time a measurement event takes beyond the probe itself: lease, server start, a short
 * ping and iperf3's connection set-up. The scheduler's event time is probe time plus this.
 */
export const EXPECTED_EVENT_OVERHEAD_MS = 400;

/**
 * The scheduler settings for a given probe time. The thesis's defaults are for 13.45 s
 * events; CPS's listening period is scaled with the event time so that short lab probes
 * keep the same proportions the simulator tuned.
 */
export function schedulerConfigForProbe(probeSeconds: number): SchedulerConfig {
  const eventMs = Math.round(probeSeconds * 1000 + EXPECTED_EVENT_OVERHEAD_MS);
  const base = defaultSchedulerConfig(eventMs);
  const thesis = defaultSchedulerConfig();
  return mergeSchedulerConfig(base, {
    cps: { listeningMs: Math.round((thesis.cps.listeningMs * eventMs) / thesis.eventMs) },
  });
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the MESHMON_* variables; throws AgentConfigError listing every problem. */
export function loadAgentConfig(env: Env): AgentConfig {
  const problems: Problem[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const required = (name: string, pattern: RegExp, rule: string): string => {
    const value = read(name);
    if (value === undefined) problems.push({ field: name, rule: 'is required' });
    else if (!pattern.test(value)) problems.push({ field: name, rule: `${rule} (got "${value}")` });
    return value ?? '';
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!INTEGER.test(value) || parsed < min || parsed > max) {
      problems.push({ field: name, rule: `must be an integer in ${min}..${max} (got "${value}")` });
      return fallback;
    }
    return parsed;
  };
  const url = (name: string, fallback: string, schemes: readonly string[]): string => {
    const value = read(name) ?? fallback;
    try {
      const parsed = new URL(value);
      if (!schemes.includes(parsed.protocol)) throw new Error('scheme');
    } catch {
      problems.push({
        field: name,
        rule: `must be a URL with scheme ${schemes.join(' or ')} (got "${value}")`,
      });
    }
    return value;
  };

  // A host name's dots become `_` (see nodeNameFromHost), so orchestrators can pass theirs.
  const node = nodeNameFromHost(
    required(
      'MESHMON_NODE',
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
      'must be letters, digits, _, - or ., at most 63',
    ),
  );
  const cluster = read('MESHMON_CLUSTER') ?? 'meshmon';
  if (!CLUSTER_NAME_PATTERN.test(cluster)) {
    problems.push({
      field: 'MESHMON_CLUSTER',
      rule: `must be lower-case letters, digits or -, at most 32 (got "${cluster}")`,
    });
  }
  const algorithmName = read('MESHMON_ALGORITHM') ?? 'cps';
  if (algorithmName !== 'none' && !isAlgorithmName(algorithmName)) {
    problems.push({
      field: 'MESHMON_ALGORITHM',
      rule: `must be none or one of ${ALGORITHM_NAMES.join(', ')} (got "${algorithmName}")`,
    });
  }
  // Without a list the node starts alone; a bad node name is reported once, as MESHMON_NODE.
  const members = (read('MESHMON_MEMBERS') ?? '')
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member !== '');
  const badMember = members.find((member) => !NODE_NAME_PATTERN.test(member));
  if (badMember !== undefined) {
    problems.push({
      field: 'MESHMON_MEMBERS',
      rule: `must be a comma-separated list of node names (bad: "${badMember}")`,
    });
  }
  if (node && !members.includes(node)) members.push(node);
  const joiningRaw = read('MESHMON_JOINING') ?? 'false';
  if (joiningRaw !== 'true' && joiningRaw !== 'false') {
    problems.push({
      field: 'MESHMON_JOINING',
      rule: `must be true or false (got "${joiningRaw}")`,
    });
  }
  const address = required('MESHMON_ADDRESS', IPV4, 'must be an IPv4 address');

  const probeSecondsRaw = read('MESHMON_PROBE_SECONDS') ?? '10';
  const probeSeconds = Number(probeSecondsRaw);
  // Whole seconds: iperf3 reads `-t 0.5` as 0 without complaint.
  if (!INTEGER.test(probeSecondsRaw) || probeSeconds < 1 || probeSeconds > 3600) {
    problems.push({
      field: 'MESHMON_PROBE_SECONDS',
      rule: `must be an integer in 1..3600 (got "${probeSecondsRaw}")`,
    });
  }
  const protocol = read('MESHMON_PROBE_PROTOCOL') ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp') {
    problems.push({
      field: 'MESHMON_PROBE_PROTOCOL',
      rule: `must be tcp or udp (got "${protocol}")`,
    });
  }
  const udpBitrate = read('MESHMON_UDP_BITRATE') ?? '100M';
  if (!BITRATE.test(udpBitrate)) {
    problems.push({
      field: 'MESHMON_UDP_BITRATE',
      rule: `must be a rate like 100M, 1G or 500K (got "${udpBitrate}")`,
    });
  }

  const scheduler = schedulerSettings(read('MESHMON_SCHEDULER_PARAMS'), probeSeconds, problems);

  const discoveryRaw = read('MESHMON_DISCOVERY') ?? 'off';
  if (discoveryRaw !== 'on' && discoveryRaw !== 'off') {
    problems.push({
      field: 'MESHMON_DISCOVERY',
      rule: `must be on or off (got "${discoveryRaw}")`,
    });
  }
  const discovery: DiscoverySettings = {
    enabled: discoveryRaw === 'on',
    windowMs: integer('MESHMON_DISCOVERY_WINDOW_MS', 30_000, 1000, 86_400_000),
    enterObservations: integer('MESHMON_DISCOVERY_ENTER_OBSERVATIONS', 2, 1, 1000),
    exitAfterMs: integer('MESHMON_DISCOVERY_EXIT_MS', 120_000, 1000, 86_400_000),
  };
  if (discovery.exitAfterMs <= discovery.windowMs) {
    problems.push({
      field: 'MESHMON_DISCOVERY_EXIT_MS',
      rule: `must be greater than MESHMON_DISCOVERY_WINDOW_MS (${discovery.windowMs}), or pairs would flap`,
    });
  }

  const config: AgentConfig = {
    node,
    cluster,
    natsUrl: url('MESHMON_NATS_URL', DEFAULT_NATS_URL, ['nats:', 'tls:']),
    redisUrl: url('MESHMON_REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    algorithm: isAlgorithmName(algorithmName) ? algorithmName : null,
    members,
    joining: joiningRaw === 'true',
    address,
    probe: {
      seconds: probeSeconds,
      protocol: protocol === 'udp' ? 'udp' : 'tcp',
      udpBitrate,
      pingCount: integer('MESHMON_PING_COUNT', 3, 1, 100),
      pingIntervalSeconds: 0.05,
    },
    scheduler,
    seed: integer('MESHMON_SEED', 1, 0, 2 ** 31 - 1),
    iperfPortBase: integer('MESHMON_IPERF_PORT_BASE', 5201, 1024, 65_000),
    discovery,
  };
  if (problems.length > 0) throw new AgentConfigError(problems);
  return config;
}

/** `name=value,name=value` over the settings for this probe time, checked as a whole. */
export function schedulerSettings(
  raw: string | undefined,
  probeSeconds: number,
  problems: Problem[],
): SchedulerConfig {
  const base = schedulerConfigForProbe(Number.isFinite(probeSeconds) ? probeSeconds : 10);
  if (raw === undefined) return base;
  const parsed = parseSchedulerParams(raw.split(',').map((part) => part.trim()));
  if ('problem' in parsed) {
    problems.push({ field: 'MESHMON_SCHEDULER_PARAMS', rule: parsed.problem.rule });
    return base;
  }
  const merged = mergeSchedulerConfig(base, parsed.overrides);
  for (const problem of validateSchedulerConfig(merged))
    problems.push({ field: `MESHMON_SCHEDULER_PARAMS ${problem.field}`, rule: problem.rule });
  return merged;
}

/**
 * How long a monitor waits for the answer to a slot request, as its machine does: CPS
 * sensors answer after their listening period, the others at once.
 */
export function slotRequestWaitMs(algorithm: AlgorithmName, scheduler: SchedulerConfig): number {
  return algorithm === 'cps'
    ? cpsRequestTimeoutMs(scheduler)
    : Math.max(plainRequestTimeoutMs(), scheduler.tts.requestRetryMs);
}

import { join } from 'node:path';
import {
  booleanSetting,
  choiceSetting,
  ConfigError,
  customSetting,
  inTableOrder,
  integerSetting,
  mapped,
  pathSetting,
  readSettings,
  SharedSettings,
  switchSetting,
  textSetting,
  type Env,
  type FileReader,
  type SamplingConfig,
} from '@meshmon/service-runtime';
import { NODE_NAME_PATTERN } from '@meshmon/contracts';
import {
  ALGORITHM_NAMES,
  cpsRequestTimeoutMs,
  plainRequestTimeoutMs,
  defaultSchedulerConfig,
  eventMsForProbe,
  mergeSchedulerConfig,
  parseSchedulerParams,
  validateSchedulerConfig,
  type AlgorithmName,
  type Problem,
  type SchedulerConfig,
  type SchedulerConfigOverrides,
} from '@meshmon/scheduling';

/**
 * Everything a node service needs, read from its environment. The three services of a
 * node (and every node of a cluster) must get the same cluster, algorithm and scheduler
 * settings; the lab and the deployment manifests pass them all the same variables.
 */
export interface AgentConfig extends SamplingConfig {
  readonly node: string;
  readonly cluster: string;
  readonly natsUrl: string;
  /** MESHMON_NATS_NKEY(_FILE): the service's NATS login; null: none. */
  readonly natsNkey: string | null;
  readonly redisUrl: string;
  /** Its login (MESHMON_REDIS_USERNAME, MESHMON_REDIS_PASSWORD(_FILE)), or null for none. */
  readonly redisCredentials: SharedSettings.RedisCredentials | null;
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
  /**
   * Where the monitor keeps the results JetStream has not acknowledged yet, so that they
   * outlive the process: MESHMON_OUTBOX_DIR with this node's name under it.
   */
  readonly outboxDir: string;
}

/** MESHMON_OUTBOX_DIR unless set: the image makes it, owned by the user the services run as. */
export const DEFAULT_OUTBOX_ROOT = '/var/lib/meshmon/outbox';

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

const BITRATE = /^\d+(\.\d+)?[KMG]?$/;

// The event time's overhead beyond the probe lives with the scheduler's settings.
export { EXPECTED_EVENT_OVERHEAD_MS } from '@meshmon/scheduling';

/**
 * The scheduler settings for a given probe time. The thesis's defaults are for 13.45 s
 * events; CPS's listening period is scaled with the event time so that short lab probes
 * keep the same proportions the simulator tuned.
 */
export function schedulerConfigForProbe(probeSeconds: number): SchedulerConfig {
  const eventMs = eventMsForProbe(probeSeconds);
  const base = defaultSchedulerConfig(eventMs);
  const thesis = defaultSchedulerConfig();
  return mergeSchedulerConfig(base, {
    cps: { listeningMs: Math.round((thesis.cps.listeningMs * eventMs) / thesis.eventMs) },
  });
}

/** Without a list the node starts alone; a bad node name is reported once, as MESHMON_NODE. */
const MEMBERS = customSetting<string[]>('MESHMON_MEMBERS', {
  default: [],
  parse: (text) => {
    const members = text
      .split(',')
      .map((member) => member.trim())
      .filter((member) => member !== '');
    const bad = members.find((member) => !NODE_NAME_PATTERN.test(member));
    return bad === undefined
      ? { value: members }
      : { rule: `must be a comma-separated list of node names (bad: "${bad}")` };
  },
});

/** `none`: wait for a start order from the gateway. */
const ALGORITHM = mapped(
  choiceSetting('MESHMON_ALGORITHM', {
    default: 'cps',
    choices: ['none', ...ALGORITHM_NAMES],
    rule: `must be none or one of ${ALGORITHM_NAMES.join(', ')}`,
  }),
  (name): AlgorithmName | null => (name === 'none' ? null : name),
);

/** The node agents' settings: the shared ones (one declaration each) and their own. */
const AGENT_SETTINGS = {
  node: SharedSettings.NODE,
  cluster: SharedSettings.CLUSTER,
  natsUrl: SharedSettings.NATS_URL,
  natsNkey: SharedSettings.NATS_NKEY,
  ...SharedSettings.SAMPLING,
  redisUrl: SharedSettings.REDIS_URL,
  ...SharedSettings.REDIS_LOGIN,
  algorithm: ALGORITHM,
  members: MEMBERS,
  joining: booleanSetting('MESHMON_JOINING', { default: false }),
  address: SharedSettings.address({ families: [4], required: true }),
  probeSeconds: SharedSettings.PROBE_SECONDS,
  protocol: choiceSetting('MESHMON_PROBE_PROTOCOL', { default: 'tcp', choices: ['tcp', 'udp'] }),
  udpBitrate: textSetting('MESHMON_UDP_BITRATE', {
    default: '100M',
    pattern: BITRATE,
    rule: 'must be a rate like 100M, 1G or 500K',
  }),
  /** `name=value,...`; checked as a whole with the probe time's settings in loadAgentConfig. */
  schedulerParams: customSetting<SchedulerConfigOverrides | null>('MESHMON_SCHEDULER_PARAMS', {
    default: null,
    parse: (text) => {
      const parsed = parseSchedulerParams(text.split(',').map((part) => part.trim()));
      return 'problem' in parsed ? { rule: parsed.problem.rule } : { value: parsed.overrides };
    },
  }),
  discovery: switchSetting('MESHMON_DISCOVERY', { default: false }),
  discoveryWindowMs: integerSetting('MESHMON_DISCOVERY_WINDOW_MS', {
    default: 30_000,
    min: 1000,
    max: 86_400_000,
  }),
  enterObservations: integerSetting('MESHMON_DISCOVERY_ENTER_OBSERVATIONS', {
    default: 2,
    min: 1,
    max: 1000,
  }),
  exitAfterMs: integerSetting('MESHMON_DISCOVERY_EXIT_MS', {
    default: 120_000,
    min: 1000,
    max: 86_400_000,
  }),
  pingCount: integerSetting('MESHMON_PING_COUNT', { default: 3, min: 1, max: 100 }),
  seed: integerSetting('MESHMON_SEED', { default: 1, min: 0, max: 2 ** 31 - 1 }),
  iperfPortBase: SharedSettings.IPERF_PORT_BASE,
  /** A folder per node under it, so nodes sharing a host (the lab, one machine) never mix. */
  outboxRoot: pathSetting('MESHMON_OUTBOX_DIR', { default: DEFAULT_OUTBOX_ROOT }),
};

/** The variable the monitor's outbox folder comes from, for a problem about the folder itself. */
export const OUTBOX_DIR_VARIABLE = AGENT_SETTINGS.outboxRoot.variable;

/** Reads and checks the MESHMON_* variables; throws AgentConfigError listing every problem. */
export function loadAgentConfig(env: Env, readFile?: FileReader): AgentConfig {
  const { values, problems } = readSettings(env, AGENT_SETTINGS, readFile);
  const scheduler = schedulerSettings(values.schedulerParams, values.probeSeconds, problems);
  const redis = SharedSettings.redisCredentials(values);
  problems.push(...redis.problems);
  if (values.exitAfterMs <= values.discoveryWindowMs) {
    problems.push({
      field: AGENT_SETTINGS.exitAfterMs.variable,
      rule: `must be greater than ${AGENT_SETTINGS.discoveryWindowMs.variable} (${values.discoveryWindowMs}), or pairs would flap`,
    });
  }
  if (problems.length > 0) throw new AgentConfigError(inTableOrder(AGENT_SETTINGS, problems));
  const members = [...values.members];
  if (!members.includes(values.node)) members.push(values.node);
  return {
    node: values.node,
    cluster: values.cluster,
    natsUrl: values.natsUrl,
    natsNkey: values.natsNkey,
    redisUrl: values.redisUrl,
    redisCredentials: redis.credentials,
    sampleSeconds: values.sampleSeconds,
    run: values.run,
    orchestrator: values.orchestrator,
    algorithm: values.algorithm,
    members,
    joining: values.joining,
    address: values.address as string,
    probe: {
      seconds: values.probeSeconds,
      protocol: values.protocol,
      udpBitrate: values.udpBitrate,
      pingCount: values.pingCount,
      pingIntervalSeconds: 0.05,
    },
    scheduler,
    seed: values.seed,
    iperfPortBase: values.iperfPortBase,
    outboxDir: join(values.outboxRoot, values.node),
    discovery: {
      enabled: values.discovery,
      windowMs: values.discoveryWindowMs,
      enterObservations: values.enterObservations,
      exitAfterMs: values.exitAfterMs,
    },
  };
}

/** The settings for this probe time with MESHMON_SCHEDULER_PARAMS over them, checked as a whole. */
function schedulerSettings(
  overrides: SchedulerConfigOverrides | null,
  probeSeconds: number,
  problems: Problem[],
): SchedulerConfig {
  const base = schedulerConfigForProbe(probeSeconds);
  if (overrides === null) return base;
  const merged = mergeSchedulerConfig(base, overrides);
  for (const problem of validateSchedulerConfig(merged)) {
    problems.push({
      field: `${AGENT_SETTINGS.schedulerParams.variable} ${problem.field}`,
      rule: problem.rule,
    });
  }
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

import { readFlags, UsageError } from '@meshmon/service-runtime';
import {
  ALGORITHM_NAMES,
  defaultSchedulerConfig,
  isAlgorithmName,
  mergeSchedulerConfig,
  parseSchedulerParams,
  validateSchedulerConfig,
  type AlgorithmName,
  type SchedulerParams,
} from '@meshmon/scheduling';

export interface LabArgs {
  readonly nodes: number;
  readonly algorithm: AlgorithmName;
  readonly durationSeconds: number;
  readonly probeSeconds: number;
  readonly linkRate: string;
  readonly slowNodes: ReadonlyMap<string, string>;
  readonly busyNodes: ReadonlySet<string>;
  /** Nodes that join the running cluster, each at a given second. */
  readonly joins: readonly { readonly node: string; readonly atSeconds: number }[];
  readonly untilCovered: boolean;
  readonly eventsOut: string | null;
  readonly json: boolean;
  readonly seed: number;
  /** The --param flags, read once: numbers by name, as they travel. */
  readonly params: SchedulerParams;
  /** The result sink, gateway and flow discovery; null with --agents-only. */
  readonly suite: LabSuiteArgs | null;
}

export interface LabSuiteArgs {
  readonly gatewayPort: number;
  readonly influxUrl: string;
  readonly influxDatabase: string;
  readonly discovery: boolean;
}

export type LabCommand = { kind: 'help' } | { kind: 'run'; args: LabArgs };

/**
 * Default link rate. On 2 cores, 4 concurrent iperf3 pairs at 500 Mbit/s each stay well
 * inside what the CPU can push over veth, so results are repeatable (README, "The lab").
 */
export const DEFAULT_LINK_RATE = '500mbit';
export const MAX_NODES = 32;
export const DEFAULT_GATEWAY_PORT = 8080;
export const DEFAULT_INFLUX_URL = 'http://127.0.0.1:8086';
/** A database of the lab's own, so lab runs never mix with a real cluster's data. */
export const DEFAULT_INFLUX_DATABASE = 'meshmon_lab';

export const USAGE = `Usage:
  lab --nodes <N> --algorithm <${ALGORITHM_NAMES.join('|')}> --duration <s> --probe-seconds <s>
      [--link-rate <rate>] [--slow-node <node>:<rate> ...] [--busy-node <node> ...]
      [--join <node>@<s> ...] [--until-covered] [--events-out <file.jsonl>] [--json]
      [--seed <n>] [--param <name>=<value> ...]
      [--gateway-port <port>] [--discovery] [--influx-url <url>] [--influx-database <name>]
      [--agents-only]

Runs a Meshmon cluster of N nodes (n1..nN), each a network namespace on a bridge with its
link shaped to --link-rate (default ${DEFAULT_LINK_RATE}; tbf rates like 200mbit, 1gbit),
and prints live progress, then a report. Needs root, iproute2, iperf3, nats-server,
redis-server and stress-ng (bash infra/local/install.sh installs them).

With the whole suite (the default) the lab also runs the result sink (into InfluxDB at
--influx-url, database --influx-database, default ${DEFAULT_INFLUX_DATABASE}), the HTTP
gateway with the dashboard on 127.0.0.1:--gateway-port (default ${DEFAULT_GATEWAY_PORT}; 0 picks a
free port) and flow discovery on every node; the nodes start idle and the lab starts
--algorithm through the gateway. --discovery turns discovery mode on: only pairs whose
nodes' applications talk are measured. --agents-only runs just the node agents, with the
algorithm set at start.`;

const VALUE_FLAGS = [
  '--nodes',
  '--algorithm',
  '--duration',
  '--probe-seconds',
  '--link-rate',
  '--slow-node',
  '--busy-node',
  '--join',
  '--events-out',
  '--seed',
  '--param',
  '--gateway-port',
  '--influx-url',
  '--influx-database',
];
const SWITCHES = ['--json', '--until-covered', '--help', '-h', '--discovery', '--agents-only'];
const INFLUX_DATABASE = /^[A-Za-z0-9_]{1,64}$/;
const RATE = /^\d+(\.\d+)?(kbit|mbit|gbit)$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const LAB_NODE = /^n[1-9]\d{0,2}$/;

export function parseLabArgs(argv: readonly string[], maxNodes = MAX_NODES): LabCommand {
  const { values, switches } = readFlags(argv, {
    values: VALUE_FLAGS,
    switches: SWITCHES,
    unknownRule: 'is not a lab flag; see lab --help',
  });
  if (switches.has('--help')) return { kind: 'help' };
  // The last one wins, so a wrapper's defaults (scripts/start.sh) can be overridden.
  const single = (flag: string): string | undefined => values.get(flag)?.at(-1);
  const number = (
    flag: string,
    fallback: number | null,
    min: number,
    max: number,
    integer = false,
  ): number => {
    const raw = single(flag);
    if (raw === undefined) {
      if (fallback === null) throw new UsageError(flag, 'is required');
      return fallback;
    }
    const value = Number(raw);
    if (!NUMBER.test(raw) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new UsageError(
        flag,
        `must be ${integer ? 'an integer' : 'a number'} in ${min}..${max} (got "${raw}")`,
      );
    }
    return value;
  };

  const nodes = number('--nodes', null, 2, maxNodes, true);
  const algorithm = single('--algorithm');
  if (algorithm === undefined) throw new UsageError('--algorithm', 'is required');
  if (!isAlgorithmName(algorithm)) {
    throw new UsageError(
      '--algorithm',
      `must be one of ${ALGORITHM_NAMES.join(', ')} (got "${algorithm}")`,
    );
  }
  const durationSeconds = number('--duration', null, 5, 86_400);
  // Whole seconds: iperf3 reads `-t 0.5` as 0.
  const probeSeconds = number('--probe-seconds', null, 1, 60, true);
  const linkRate = single('--link-rate') ?? DEFAULT_LINK_RATE;
  if (!RATE.test(linkRate)) {
    throw new UsageError(
      '--link-rate',
      `must be a tbf rate like 200mbit, 1gbit or 800kbit (got "${linkRate}")`,
    );
  }
  const joins = (values.get('--join') ?? []).map((spec) => {
    const match = /^([^@]+)@(\d+(\.\d+)?)$/.exec(spec);
    if (!match || !LAB_NODE.test(match[1])) {
      throw new UsageError(
        '--join',
        `must be <node>@<seconds> with a node n1..n999, e.g. n5@30 (got "${spec}")`,
      );
    }
    return { node: match[1], atSeconds: Number(match[2]) };
  });
  const names = new Set([
    ...Array.from({ length: nodes }, (_, i) => `n${i + 1}`),
    ...joins.map((join) => join.node),
  ]);
  const joining = new Set<string>();
  for (const join of joins) {
    if (joining.has(join.node)) throw new UsageError('--join', `${join.node} joins more than once`);
    joining.add(join.node);
    const index = Number(join.node.slice(1));
    if (index <= nodes)
      throw new UsageError('--join', `${join.node} is already one of the ${nodes} starting nodes`);
    if (join.atSeconds >= durationSeconds)
      throw new UsageError('--join', `${join.node} joins after the run ends`);
  }
  if (names.size > maxNodes)
    throw new UsageError('--join', `makes ${names.size} nodes, more than ${maxNodes}`);
  const slowNodes = new Map<string, string>();
  for (const spec of values.get('--slow-node') ?? []) {
    const [node, rate, extra] = spec.split(':');
    if (extra !== undefined || !node || !rate || !RATE.test(rate)) {
      throw new UsageError('--slow-node', `must be <node>:<rate>, e.g. n3:50mbit (got "${spec}")`);
    }
    if (!names.has(node))
      throw new UsageError('--slow-node', `${node} is not one of the lab's nodes`);
    slowNodes.set(node, rate);
  }
  const busyNodes = new Set<string>();
  for (const node of values.get('--busy-node') ?? []) {
    if (!names.has(node))
      throw new UsageError('--busy-node', `${node} is not one of the lab's nodes`);
    busyNodes.add(node);
  }
  const params = parseParamFlags(values.get('--param') ?? []);

  const agentsOnly = switches.has('--agents-only');
  const suiteFlags = ['--gateway-port', '--influx-url', '--influx-database', '--discovery'];
  const clash = suiteFlags.find((flag) => values.has(flag) || switches.has(flag));
  if (agentsOnly && clash)
    throw new UsageError(clash, 'needs the whole suite (drop --agents-only)');
  const gatewayPort = number('--gateway-port', DEFAULT_GATEWAY_PORT, 0, 65_535, true);
  const influxUrl = single('--influx-url') ?? DEFAULT_INFLUX_URL;
  if (!/^https?:\/\/[^\s/]+\/?$/.test(influxUrl)) {
    throw new UsageError('--influx-url', `must be http(s)://host:port (got "${influxUrl}")`);
  }
  const influxDatabase = single('--influx-database') ?? DEFAULT_INFLUX_DATABASE;
  if (!INFLUX_DATABASE.test(influxDatabase)) {
    throw new UsageError(
      '--influx-database',
      `must be 1-64 letters, digits or _ (got "${influxDatabase}")`,
    );
  }

  return {
    kind: 'run',
    args: {
      nodes,
      algorithm,
      durationSeconds,
      probeSeconds,
      linkRate,
      slowNodes,
      busyNodes,
      joins,
      untilCovered: switches.has('--until-covered'),
      eventsOut: single('--events-out') ?? null,
      json: switches.has('--json'),
      seed: number('--seed', 1, 0, 2 ** 31 - 1, true),
      params,
      suite: agentsOnly
        ? null
        : { gatewayPort, influxUrl, influxDatabase, discovery: switches.has('--discovery') },
    },
  };
}

/** The --param flags (`name=value`), read and checked against the scheduler's ranges. */
export function parseParamFlags(texts: readonly string[]): SchedulerParams {
  const parsed = parseSchedulerParams(texts);
  if ('problem' in parsed) throw new UsageError('--param', parsed.problem.rule);
  const problem = validateSchedulerConfig(
    mergeSchedulerConfig(defaultSchedulerConfig(), parsed.overrides),
  )[0];
  if (problem) throw new UsageError('--param', `${problem.field} ${problem.rule}`);
  return parsed.params;
}

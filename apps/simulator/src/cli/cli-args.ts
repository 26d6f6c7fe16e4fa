import {
  parseSchedulerParams,
  ALGORITHM_NAMES,
  isAlgorithmName,
  type AlgorithmName,
  type SchedulerConfigOverrides,
} from '@meshmon/scheduling';
import { ChurnSpecError, churnProblem, parseChurnSpec, type ChurnEvent } from '@meshmon/simulation';
import { readFlags, UsageError } from '@meshmon/service-runtime';

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'list' }
  | {
      readonly kind: 'compare-thesis';
      readonly seeds: number;
      readonly json: boolean;
      readonly eventSeconds: number;
    }
  | { readonly kind: 'simulate'; readonly run: RunArgs };

export interface RunArgs {
  readonly algorithm: AlgorithmName;
  readonly nodes: number;
  readonly eventSeconds: number;
  readonly durationSeconds: number;
  readonly seed: number;
  readonly loss: number;
  readonly latencyMs: number;
  readonly eventJitter: number;
  readonly churn: readonly ChurnEvent[];
  readonly eventsOut: string | null;
  readonly json: boolean;
  readonly config: SchedulerConfigOverrides;
}

const VALUE_FLAGS = [
  '--algorithm',
  '--nodes',
  '--event-seconds',
  '--duration',
  '--seed',
  '--loss',
  '--latency-ms',
  '--event-jitter',
  '--churn',
  '--events-out',
  '--seeds',
  '--param',
];
const SWITCHES = ['--json', '--list', '--compare-thesis', '--help', '-h'];

export const USAGE = `Usage:
  simulate --algorithm <${ALGORITHM_NAMES.join('|')}> --nodes <N> [--event-seconds <s>] [--duration <s>]
           [--seed <n>] [--loss <0..1>] [--latency-ms <ms>] [--event-jitter <0..0.5>]
           [--churn <join|leave|crash:node@seconds,...>] [--events-out <file.jsonl>]
           [--param <name>=<value> ...] [--json]
  simulate --list
  simulate --compare-thesis [--seeds <n>] [--event-seconds <s>] [--json]

Defaults: --event-seconds 13.45, --duration 7200, --seed 1, --loss 0, --latency-ms 1,
--event-jitter 0.02. --param sets a scheduler parameter in milliseconds, e.g.
cps.listeningMs=2000, lockMs=25000, crs.threshold=0.6 (see README, "Parameters").`;

export function parseArgs(argv: readonly string[]): Command {
  const flags = readFlags(argv, {
    values: VALUE_FLAGS,
    switches: SWITCHES,
    unknownRule: 'is not a known flag (see --help)',
    dashValues: ['--churn'],
  });
  // The last value of a flag wins; --param keeps all of them.
  const values = new Map([...flags.values].map(([flag, list]) => [flag, list[list.length - 1]]));
  const params = flags.values.get('--param') ?? [];
  const { switches } = flags;

  if (switches.has('--help')) return { kind: 'help' };
  if (switches.has('--list')) return { kind: 'list' };
  const eventSeconds = positiveNumber(values, '--event-seconds', 13.45);
  if (switches.has('--compare-thesis')) {
    return {
      kind: 'compare-thesis',
      seeds: integer(values, '--seeds', 8, 1, 100),
      json: switches.has('--json'),
      eventSeconds,
    };
  }

  const algorithm = values.get('--algorithm');
  if (algorithm === undefined)
    throw new UsageError('--algorithm', `is required: one of ${ALGORITHM_NAMES.join(', ')}`);
  if (!isAlgorithmName(algorithm)) {
    throw new UsageError(
      '--algorithm',
      `must be one of ${ALGORITHM_NAMES.join(', ')} (got "${algorithm}")`,
    );
  }
  if (!values.has('--nodes')) throw new UsageError('--nodes', 'is required: an integer >= 2');
  const nodes = integer(values, '--nodes', 0, 2, 100_000);
  const durationSeconds = positiveNumber(values, '--duration', 7200);
  const seed = integer(values, '--seed', 1, 0, 2 ** 32 - 1);
  const loss = boundedNumber(values, '--loss', 0, 0, 1);
  if (loss === 1)
    throw new UsageError('--loss', 'must be in [0, 1): with 1 no message ever arrives');
  const latencyMs = boundedNumber(values, '--latency-ms', 1, 0, 60_000);
  const eventJitter = boundedNumber(values, '--event-jitter', 0.02, 0, 0.5);

  let churn: ChurnEvent[] = [];
  const churnSpec = values.get('--churn');
  if (churnSpec !== undefined) {
    try {
      churn = parseChurnSpec(churnSpec);
    } catch (error) {
      if (error instanceof ChurnSpecError) throw new UsageError('--churn', error.message);
      throw error;
    }
    const problem = churnProblem(
      churn,
      Array.from({ length: nodes }, (_, i) => `n${i + 1}`),
    );
    if (problem) throw new UsageError('--churn', problem);
  }
  const eventsOut = values.get('--events-out') ?? null;
  if (eventsOut === '') throw new UsageError('--events-out', 'needs a file path');

  return {
    kind: 'simulate',
    run: {
      algorithm,
      nodes,
      eventSeconds,
      durationSeconds,
      seed,
      loss,
      latencyMs,
      eventJitter,
      churn,
      eventsOut,
      json: switches.has('--json'),
      config: parseParams(params),
    },
  };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function numberOf(values: Map<string, string>, flag: string): number | undefined {
  const raw = values.get(flag);
  if (raw === undefined) return undefined;
  if (!NUMBER.test(raw.trim())) throw new UsageError(flag, `must be a number (got "${raw}")`);
  return Number(raw);
}

function positiveNumber(values: Map<string, string>, flag: string, fallback: number): number {
  const value = numberOf(values, flag) ?? fallback;
  if (!(value > 0) || !Number.isFinite(value))
    throw new UsageError(flag, `must be a number > 0 (got "${values.get(flag)}")`);
  return value;
}

function boundedNumber(
  values: Map<string, string>,
  flag: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = numberOf(values, flag) ?? fallback;
  if (value < min || value > max)
    throw new UsageError(flag, `must be between ${min} and ${max} (got "${values.get(flag)}")`);
  return value;
}

function integer(
  values: Map<string, string>,
  flag: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = numberOf(values, flag) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      flag,
      `must be an integer >= ${min}${max < 100_000 ? ` and <= ${max}` : ''} (got "${values.get(flag)}")`,
    );
  }
  return value;
}

/** `--param cps.listeningMs=2000` into config overrides; validation of the values comes later. */
function parseParams(params: readonly string[]): SchedulerConfigOverrides {
  const parsed = parseSchedulerParams(params);
  if ('problem' in parsed) throw new UsageError('--param', parsed.problem.rule);
  return parsed.overrides;
}

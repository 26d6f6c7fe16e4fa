import { readFlags, UsageError } from '@meshmon/service-runtime';
import type { SchedulerParams } from '@meshmon/scheduling';
import { parseParamFlags } from '../cli/lab-args.js';
import { FAULT_NAMES, type FaultName } from './chaos-plan.js';

export interface ChaosArgs {
  /** A shorter run of every fault (CI): short outages and floods, a short liveness interval. */
  readonly quick: boolean;
  /** The table on stderr; stdout's last line is {"faults": [...]}. */
  readonly json: boolean;
  readonly algorithm: 'cps' | 'tts';
  readonly nodes: number;
  readonly probeSeconds: number;
  readonly seed: number;
  readonly params: SchedulerParams;
  /** Only these faults (--fault, repeatable); null: every one. */
  readonly faults: readonly FaultName[] | null;
}

export type ChaosCommand = { kind: 'help' } | { kind: 'run'; args: ChaosArgs };

export const CHAOS_USAGE = `Usage:
  npm run --silent chaos -- [--quick] [--json] [--algorithm cps|tts] [--nodes <N>]
      [--probe-seconds <s>] [--seed <n>] [--param <name>=<value> ...] [--fault <name> ...]

Runs the whole suite on a lab of N nodes (default 4) with its own NATS, Redis and InfluxDB,
starts the algorithm (default cps) through the gateway, and injects each fault in turn
while a measurement runs: ${FAULT_NAMES.join(', ')}.
After each it waits until the suite has recovered; at the end it balances the monitors'
own counts against InfluxDB and prints, per fault: injected at, recovered after, results
produced, stored, lost, stored twice, conflicts. Exit 0 when nothing was lost, stored twice
or in conflict and every fault was recovered from within its bound; 1 otherwise; 2 for a
bad flag. --quick: shorter outages and floods (CI). --json: stdout's last line is
{"faults": [{"fault", "injectedAtSeconds", "recoveredSeconds", "produced", "stored", "lost",
"duplicated", "conflicts", "boundSeconds"}]}. Needs root (bash infra/local/install.sh
installs the rest).`;

const NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function parseChaosArgs(argv: readonly string[]): ChaosCommand {
  const { values, switches } = readFlags(argv, {
    values: ['--algorithm', '--nodes', '--probe-seconds', '--seed', '--param', '--fault'],
    switches: ['--quick', '--json', '--help', '-h'],
    unknownRule: 'is not a chaos flag; see npm run chaos -- --help',
  });
  if (switches.has('--help')) return { kind: 'help' };
  const single = (flag: string): string | undefined => values.get(flag)?.at(-1);
  const integer = (flag: string, fallback: number, min: number, max: number): number => {
    const raw = single(flag);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!NUMBER.test(raw) || !Number.isInteger(value) || value < min || value > max)
      throw new UsageError(flag, `must be an integer in ${min}..${max} (got "${raw}")`);
    return value;
  };
  const algorithm = single('--algorithm') ?? 'cps';
  if (algorithm !== 'cps' && algorithm !== 'tts')
    throw new UsageError('--algorithm', `must be cps or tts (got "${algorithm}")`);
  const quick = switches.has('--quick');
  const nodes = integer('--nodes', 4, 3, 8);
  const probeSeconds = integer('--probe-seconds', quick ? 2 : 3, 1, 30);
  const seed = integer('--seed', 1, 0, 2 ** 31 - 1);

  const params = parseParamFlags(values.get('--param') ?? []);

  const faults = values.get('--fault') ?? [];
  for (const fault of faults) {
    if (!(FAULT_NAMES as readonly string[]).includes(fault))
      throw new UsageError('--fault', `must be one of ${FAULT_NAMES.join(', ')} (got "${fault}")`);
  }
  return {
    kind: 'run',
    args: {
      quick,
      json: switches.has('--json'),
      algorithm,
      nodes,
      probeSeconds,
      seed,
      params,
      faults: faults.length > 0 ? ([...new Set(faults)] as FaultName[]) : null,
    },
  };
}

import { readFlags } from '@meshmon/service-runtime/read-flags.js';
import { UsageError } from '@meshmon/service-runtime/errors/usage-error.js';
import { RUN_NAME_PATTERN, RUN_NAME_RULE } from '@meshmon/contracts';
import { ORCHESTRATION_NAMES, type OrchestrationName } from './deploy/deployment.js';
import { DEFAULT_SCENARIO_PATH } from './scenario.js';

export type CompareCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'compare';
      readonly orchestrators: readonly OrchestrationName[];
      readonly scenarioPath: string;
      readonly windows?: number;
      readonly windowSeconds?: number;
      readonly json: boolean;
      readonly out: string | null;
    }
  | {
      readonly kind: 'report';
      readonly run: string;
      readonly json: boolean;
      readonly out: string | null;
    };

export const USAGE = `Usage:
  compare --orchestrators <list> [--scenario <file>] [--windows <n>] [--window-seconds <s>]
          [--out <dir>] [--json]
  compare --report-only --run <id> [--out <dir>] [--json]

Deploys the suite in turn as plain processes, plain containers, a Docker Swarm stack
(swarm/) and, where kubectl reaches a cluster, Kubernetes (k8s/); samples every service
with the same instrument; compares the orchestrators' overhead with ANOVA, Welch, Tukey
and Games-Howell; writes report.json, report.md and report.html.
  --orchestrators  comma list of ${ORCHESTRATION_NAMES.join(', ')} (default process,container,swarm)
  --scenario       the scenario file (default apps/compare/scenarios/default.json)
  --windows        windows per orchestrator (overrides the scenario's; a multiple of its blocks)
  --window-seconds seconds per window (overrides the scenario's)
  --report-only    rebuild the report of an earlier run from InfluxDB alone (--run <id>)
  --out            where the report goes (default .compare/<run>/)
  --json           print the report's JSON as the last line
Exit codes: 0 done, 1 a comparison failed, 2 a bad command line, scenario or run id, 130 interrupted.`;

const positiveInteger = (flag: string, text: string): number => {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(flag, `must be a whole number >= 1 (got "${text}")`);
  }
  return Number(text);
};

function single(flags: ReadonlyMap<string, readonly string[]>, flag: string): string | undefined {
  const values = flags.get(flag) ?? [];
  if (values.length > 1) throw new UsageError(flag, 'is given more than once');
  return values[0];
}

export function parseCompareArgs(argv: readonly string[]): CompareCommand {
  const flags = readFlags(argv, {
    values: ['--orchestrators', '--scenario', '--windows', '--window-seconds', '--run', '--out'],
    switches: ['--json', '--report-only', '--help', '-h'],
    unknownRule: 'is not a compare flag (see compare --help)',
  });
  if (flags.switches.has('--help')) return { kind: 'help' };
  const json = flags.switches.has('--json');
  const out = single(flags.values, '--out') ?? null;
  if (flags.switches.has('--report-only')) {
    const run = single(flags.values, '--run');
    if (run === undefined) throw new UsageError('--run', 'is required with --report-only');
    if (!RUN_NAME_PATTERN.test(run)) throw new UsageError('--run', RUN_NAME_RULE);
    for (const flag of ['--orchestrators', '--scenario', '--windows', '--window-seconds']) {
      if (flags.values.has(flag)) {
        throw new UsageError(flag, 'does not go with --report-only (the run recorded its own)');
      }
    }
    return { kind: 'report', run, json, out };
  }
  if (flags.values.has('--run')) throw new UsageError('--run', 'goes with --report-only only');
  const list = (single(flags.values, '--orchestrators') ?? 'process,container,swarm')
    .split(',')
    .map((name) => name.trim());
  const unknown = list.find((name) => !(ORCHESTRATION_NAMES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new UsageError(
      '--orchestrators',
      `has "${unknown}": each must be one of ${ORCHESTRATION_NAMES.join(', ')}`,
    );
  }
  if (new Set(list).size !== list.length) {
    throw new UsageError('--orchestrators', 'names an orchestrator twice');
  }
  const windows = single(flags.values, '--windows');
  const windowSeconds = single(flags.values, '--window-seconds');
  return {
    kind: 'compare',
    orchestrators: list as OrchestrationName[],
    scenarioPath: single(flags.values, '--scenario') ?? DEFAULT_SCENARIO_PATH,
    ...(windows === undefined ? {} : { windows: positiveInteger('--windows', windows) }),
    ...(windowSeconds === undefined
      ? {}
      : { windowSeconds: positiveInteger('--window-seconds', windowSeconds) }),
    json,
    out,
  };
}

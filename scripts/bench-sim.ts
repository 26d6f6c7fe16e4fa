/**
 * npm run bench:sim: the scheduling algorithms in the simulator at 4 to 128 nodes (time to
 * full coverage against the floor, mean wait, fairness), a look at harsher conditions, and
 * the wall time and peak memory of 1024 nodes for 2 virtual hours with CPS.
 *
 * Prints markdown tables (pasted into the README) and, with --json, one JSON document.
 */
import { execFileSync } from 'node:child_process';
import { ALGORITHM_NAMES } from '@meshmon/scheduling';
import { simulate, type SimulationResult } from '@meshmon/simulation';
import { fixed, markdownTable, mean } from './bench/bench-table.js';

const EVENT_SECONDS = 13.45;

/** Rounded down, so that a run that missed a pair never shows 100 %. */
const coveredPercent = (fraction: number): string =>
  `${(Math.floor(fraction * 10_000) / 100).toFixed(2)} %`;
const NODE_COUNTS = [4, 8, 16, 32, 64, 128];
const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');

/** Seeds per cluster size: fewer for the big, slow ones. */
const seedsFor = (nodes: number): number => (quick ? 1 : nodes <= 32 ? 4 : nodes <= 64 ? 2 : 1);

/**
 * Long enough for every algorithm to reach full coverage: Round Robin needs N(N-1) events
 * in a row; the others get 12x the floor (CRS, which can starve pairs, may still miss).
 */
function durationFor(algorithm: string, nodes: number): number {
  if (algorithm === 'rr')
    return Math.max(7200, Math.ceil(1.2 * nodes * (nodes - 1) * EVENT_SECONDS));
  return Math.max(7200, Math.ceil(12 * 2 * nodes * EVENT_SECONDS));
}

interface Row {
  algorithm: string;
  nodes: number;
  seeds: number;
  durationSeconds: number;
  coverageToFloor: number | null;
  coveredFraction: number;
  meanWaitMinutes: number;
  waitToTheoretical: number;
  pairCountStdDev: number;
  conflicts: number;
  wallSeconds: number;
}

function scalingRows(): Row[] {
  const rows: Row[] = [];
  for (const nodes of NODE_COUNTS) {
    for (const algorithm of ALGORITHM_NAMES) {
      const durationSeconds = durationFor(algorithm, nodes);
      const started = performance.now();
      const results: SimulationResult[] = [];
      for (let seed = 1; seed <= seedsFor(nodes); seed++) {
        results.push(
          simulate({ algorithm, nodes, eventSeconds: EVENT_SECONDS, durationSeconds, seed }),
        );
      }
      const reached = results.filter((r) => r.fullCoverageSeconds !== null);
      const waitMinutes = mean(results.map((r) => r.meanWaitSeconds)) / 60;
      rows.push({
        algorithm,
        nodes,
        seeds: results.length,
        durationSeconds,
        coverageToFloor:
          reached.length === results.length
            ? mean(reached.map((r) => (r.fullCoverageSeconds as number) / r.floorSeconds))
            : null,
        coveredFraction: mean(results.map((r) => r.coveredFraction)),
        meanWaitMinutes: waitMinutes,
        waitToTheoretical: waitMinutes / (0.2242 * nodes),
        pairCountStdDev: mean(results.map((r) => r.pairCountStdDev)),
        conflicts: results.reduce((sum, r) => sum + r.conflicts, 0),
        wallSeconds: (performance.now() - started) / 1000,
      });
      if (!json) process.stderr.write(`  ${algorithm} N=${nodes} done\n`);
    }
  }
  return rows;
}

/** Harsher conditions at N = 32: slower and more variable events, message loss, churn. */
function adversityRows() {
  const scenarios = [
    { label: 'event jitter +-10 %', options: { eventJitter: 0.1 } },
    { label: 'loss 5 %', options: { loss: 0.05 } },
    {
      label: 'loss 5 %, 2 crashes, 1 join, 1 leave',
      options: {
        loss: 0.05,
        churn: [
          { action: 'crash' as const, node: 'n5', atSeconds: 300 },
          { action: 'crash' as const, node: 'n17', atSeconds: 900 },
          { action: 'join' as const, node: 'n33', atSeconds: 1200 },
          { action: 'leave' as const, node: 'n20', atSeconds: 1500 },
        ],
      },
    },
  ];
  const rows = [];
  for (const scenario of scenarios) {
    for (const algorithm of ['cps', 'tts'] as const) {
      const result = simulate({
        algorithm,
        nodes: 32,
        eventSeconds: EVENT_SECONDS,
        durationSeconds: 7200,
        seed: 1,
        ...scenario.options,
      });
      rows.push({
        scenario: scenario.label,
        algorithm,
        fullCoverageMinutes:
          result.fullCoverageSeconds === null ? null : result.fullCoverageSeconds / 60,
        coverageToFloor:
          result.fullCoverageSeconds === null
            ? null
            : result.fullCoverageSeconds / result.floorSeconds,
        meanWaitMinutes: result.meanWaitSeconds / 60,
        conflicts: result.conflicts,
      });
    }
  }
  return rows;
}

function scaleRun(): Record<string, number> {
  const output = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/bench/scale-run.ts',
      '--nodes',
      '1024',
      '--duration',
      quick ? '600' : '7200',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(output.trim().split('\n').at(-1) as string) as Record<string, number>;
}

const scaling = scalingRows();
const adversity = adversityRows();
const scale = scaleRun();

if (json) {
  console.log(JSON.stringify({ scaling, adversity, scale }, null, 2));
} else {
  console.log('### Scaling (13.45 s events, jitter +-2 %, no loss)\n');
  console.log(
    markdownTable(
      [
        'N',
        'algorithm',
        'seeds',
        'coverage / floor',
        'covered',
        'mean wait (min)',
        'wait / 0.2242 N',
        'fairness (sd)',
        'conflicts',
      ],
      scaling.map((r) => [
        String(r.nodes),
        r.algorithm,
        String(r.seeds),
        fixed(r.coverageToFloor),
        coveredPercent(r.coveredFraction),
        fixed(r.meanWaitMinutes),
        fixed(r.waitToTheoretical),
        fixed(r.pairCountStdDev),
        String(r.conflicts),
      ]),
    ),
  );
  console.log('\n### Harsher conditions, N = 32, seed 1, 2 virtual hours\n');
  console.log(
    markdownTable(
      [
        'scenario',
        'algorithm',
        'full coverage (min)',
        'coverage / floor',
        'mean wait (min)',
        'conflicts',
      ],
      adversity.map((r) => [
        r.scenario,
        r.algorithm,
        fixed(r.fullCoverageMinutes, 1),
        fixed(r.coverageToFloor),
        fixed(r.meanWaitMinutes),
        String(r.conflicts),
      ]),
    ),
  );
  console.log(
    `\n### Scale: CPS, ${scale.nodes} nodes, ${scale.durationSeconds / 3600} virtual hours\n`,
  );
  console.log(
    markdownTable(
      [
        'wall time (s)',
        'peak memory (MiB)',
        'measurements',
        'messages',
        'mean concurrent sessions',
        'conflicts',
      ],
      [
        [
          fixed(scale.wallSeconds, 1),
          fixed(scale.peakRssMiB, 0),
          String(scale.measurements),
          String(scale.messagesSent),
          fixed(scale.meanConcurrentSessions, 1),
          String(scale.conflicts),
        ],
      ],
    ),
  );
}

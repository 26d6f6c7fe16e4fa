import { rowPasses, type FaultRow } from './chaos-books.js';
import type { ChaosOutcome } from './run-chaos.js';

const COLUMNS = [
  'fault',
  'injected at',
  'recovered after',
  'bound',
  'produced',
  'stored',
  'lost',
  'twice',
  'conflicts',
  '',
] as const;

/** The table the README shows: one row per fault, then the whole run's books. */
export function formatChaos(outcome: ChaosOutcome): string {
  const { books } = outcome;
  const row = (r: FaultRow): string[] => [
    r.fault,
    `${r.injectedAtSeconds.toFixed(1)} s`,
    r.recoveredSeconds === null ? 'not recovered' : `${r.recoveredSeconds.toFixed(1)} s`,
    `${r.boundSeconds} s`,
    String(r.produced),
    String(r.stored),
    String(r.lost),
    String(r.duplicated),
    String(r.conflicts),
    rowPasses(r) ? 'ok' : 'FAIL',
  ];
  const t = books.total;
  const lines = [
    [...COLUMNS],
    ...books.rows.map(row),
    [
      'whole run',
      '',
      '',
      '',
      String(t.produced),
      String(t.stored),
      String(t.lost),
      String(t.duplicated),
      String(t.conflicts),
      '',
    ],
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  const text = lines.map((line) =>
    line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
  );
  const passed = books.rows.filter(rowPasses).length;
  return [
    `chaos run ${outcome.runId}: ${passed} of ${books.rows.length} faults survived (nothing lost, stored twice or in conflict, recovered within the bound)`,
    ...text,
    `stored but counted by no monitor: ${books.uncounted} (a monitor killed between its outbox and its books); the valid flood replayed the suite's own traffic at 10x its ${outcome.normalRate.toFixed(1)} messages/s`,
    'bounds: ' +
      outcome.plans
        .map((plan) => `${plan.fault} ${plan.boundSeconds} s (${plan.boundRule})`)
        .join('; '),
  ].join('\n');
}

/** --json's last line: the names other tools script against (issue 16). */
export function chaosJson(outcome: ChaosOutcome): string {
  return JSON.stringify({
    faults: outcome.books.rows.map((r) => ({
      fault: r.fault,
      injectedAtSeconds: r.injectedAtSeconds,
      recoveredSeconds: r.recoveredSeconds,
      produced: r.produced,
      stored: r.stored,
      lost: r.lost,
      duplicated: r.duplicated,
      conflicts: r.conflicts,
      boundSeconds: r.boundSeconds,
    })),
  });
}

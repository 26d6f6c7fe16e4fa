import {
  appendFileSync,
  existsSync,
  fsyncSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * A monitor's own books: one line per result it produced (measurement id, start, ok), on
 * disk beside its outbox, so that the count survives a kill -9 and can be balanced against
 * what InfluxDB stored (`npm run chaos`). Written after the result is in the outbox's
 * journal: a crash between the two leaves a result stored but not counted, never one
 * counted that could not be stored. Bounded: past MAX_BYTES the file becomes
 * `results-produced.1.log` (the one before is dropped), so two files of at most 4 MiB,
 * about 160,000 results, days of measuring.
 */
export const RESULTS_LEDGER = 'results-produced.log';
export const RESULTS_LEDGER_PREVIOUS = 'results-produced.1.log';
const MAX_BYTES = 4 * 1024 * 1024;

/** One result a monitor produced, as its ledger has it. */
export interface LedgerEntry {
  readonly measurementId: string;
  readonly startedAtMs: number;
  readonly ok: boolean;
}

export class ResultsLedger {
  private readonly path: string;

  constructor(
    readonly folder: string,
    private readonly maxBytes = MAX_BYTES,
  ) {
    this.path = join(folder, RESULTS_LEDGER);
  }

  /** Appends one line and flushes it to disk; throws when the disk refuses. */
  record(entry: LedgerEntry): void {
    if (existsSync(this.path) && statSync(this.path).size >= this.maxBytes)
      renameSync(this.path, join(this.folder, RESULTS_LEDGER_PREVIOUS));
    const fd = openSync(this.path, 'a', 0o600);
    try {
      appendFileSync(fd, `${entry.measurementId} ${entry.startedAtMs} ${entry.ok ? 1 : 0}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Every entry of a monitor's ledger (both files, oldest first). A line that is not an
 * entry (a torn last line after a crash mid-write) is counted in `unreadable`, not guessed.
 */
export function readResultsLedger(folder: string): {
  entries: LedgerEntry[];
  unreadable: number;
} {
  const entries: LedgerEntry[] = [];
  let unreadable = 0;
  for (const name of [RESULTS_LEDGER_PREVIOUS, RESULTS_LEDGER]) {
    const path = join(folder, name);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      const match = /^(\S+) (\d+(?:\.\d+)?) ([01])$/.exec(line);
      if (!match) {
        unreadable += 1;
        continue;
      }
      entries.push({
        measurementId: match[1],
        startedAtMs: Number(match[2]),
        ok: match[3] === '1',
      });
    }
  }
  return { entries, unreadable };
}

import { describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESULTS_LEDGER, ResultsLedger, readResultsLedger } from './results-ledger.js';

const folder = () => mkdtempSync(join(tmpdir(), 'meshmon-ledger-'));

describe(ResultsLedger.name, () => {
  it('ledger - what a monitor recorded reads back in order, owner-only', () => {
    const dir = folder();
    const ledger = new ResultsLedger(dir);
    ledger.record({ measurementId: 'm-1', startedAtMs: 1000, ok: true });
    ledger.record({ measurementId: 'm-2', startedAtMs: 2000.5, ok: false });

    expect(readResultsLedger(dir)).toEqual({
      entries: [
        { measurementId: 'm-1', startedAtMs: 1000, ok: true },
        { measurementId: 'm-2', startedAtMs: 2000.5, ok: false },
      ],
      unreadable: 0,
    });
    expect(statSync(join(dir, RESULTS_LEDGER)).mode & 0o777).toBe(0o600);
  });

  it('ledger - a second process appends to the first one’s books', () => {
    const dir = folder();
    new ResultsLedger(dir).record({ measurementId: 'a', startedAtMs: 1, ok: true });
    new ResultsLedger(dir).record({ measurementId: 'b', startedAtMs: 2, ok: true });
    expect(readResultsLedger(dir).entries.map((entry) => entry.measurementId)).toEqual(['a', 'b']);
  });

  it('ledger - past its size the file rolls over once; both are read, the oldest first', () => {
    const dir = folder();
    const ledger = new ResultsLedger(dir, 40);
    for (let i = 0; i < 12; i += 1)
      ledger.record({ measurementId: `m-${i}`, startedAtMs: i, ok: true });
    const ids = readResultsLedger(dir).entries.map((entry) => entry.measurementId);
    // 8 bytes a line: five fill 40, the sixth rolls the file; at the eleventh, m-0..m-4 go.
    expect(ids).toEqual(['m-5', 'm-6', 'm-7', 'm-8', 'm-9', 'm-10', 'm-11']);
  });

  it('ledger - a torn line (a crash mid-write) is counted as unreadable, not guessed', () => {
    const dir = folder();
    new ResultsLedger(dir).record({ measurementId: 'm-1', startedAtMs: 1, ok: true });
    appendFileSync(join(dir, RESULTS_LEDGER), 'm-2 17');
    expect(readResultsLedger(dir)).toEqual({
      entries: [{ measurementId: 'm-1', startedAtMs: 1, ok: true }],
      unreadable: 1,
    });
  });

  it('ledger - a folder without books has none', () => {
    expect(readResultsLedger(folder())).toEqual({ entries: [], unreadable: 0 });
  });
});

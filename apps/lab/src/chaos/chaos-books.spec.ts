import { describe, expect, it } from '@jest/globals';
import type { StoredResult } from '@meshmon/influx-store';
import type { LedgerEntry } from '@meshmon/node-agent';
import { balanceBooks, rowPasses, type FaultWindow } from './chaos-books.js';

const T0 = 1_000_000;

const counted = (id: string, atS: number): LedgerEntry => ({
  measurementId: id,
  startedAtMs: T0 + atS * 1000,
  ok: true,
});

const point = (id: string, atS: number, over: Partial<StoredResult> = {}): StoredResult => ({
  measurementId: id,
  monitor: 'n1',
  sensor: 'n2',
  startedAtMs: T0 + atS * 1000,
  durationMs: 2000,
  fencingToken: 1,
  ok: true,
  errorCode: null,
  orchestrator: 'lab',
  ...over,
});

const window = (
  fault: FaultWindow['fault'],
  atS: number,
  recoveredS: number | null,
): FaultWindow => ({
  fault,
  injectedAtMs: T0 + atS * 1000,
  liftedAtMs: T0 + atS * 1000,
  recoveredAtMs: recoveredS === null ? null : T0 + (atS + recoveredS) * 1000,
  boundSeconds: 30,
});

describe(balanceBooks.name, () => {
  it('chaos books - each result belongs to the window its measurement started in', () => {
    const books = balanceBooks({
      windows: [window('monitor-killed', 10, 4), window('nats-restarted', 20, 6)],
      produced: [counted('a', 1), counted('b', 12), counted('c', 19), counted('d', 25)],
      stored: [point('a', 1), point('b', 12), point('c', 19), point('d', 25)],
      startedAtMs: T0,
    });
    expect(books.rows).toEqual([
      {
        fault: 'monitor-killed',
        injectedAtSeconds: 10,
        recoveredSeconds: 4,
        boundSeconds: 30,
        produced: 2,
        stored: 2,
        lost: 0,
        duplicated: 0,
        conflicts: 0,
      },
      {
        fault: 'nats-restarted',
        injectedAtSeconds: 20,
        recoveredSeconds: 6,
        boundSeconds: 30,
        produced: 1,
        stored: 1,
        lost: 0,
        duplicated: 0,
        conflicts: 0,
      },
    ]);
    expect(books.total).toMatchObject({ produced: 4, stored: 4, lost: 0 });
    expect(books.rows.every(rowPasses)).toBe(true);
  });

  it('chaos books - a counted result InfluxDB lacks is lost, and the row fails', () => {
    const books = balanceBooks({
      windows: [window('influxdb-stopped', 10, 5)],
      produced: [counted('a', 11), counted('b', 12)],
      stored: [point('a', 11)],
      startedAtMs: T0,
    });
    expect(books.rows[0]).toMatchObject({ produced: 2, stored: 1, lost: 1 });
    expect(rowPasses(books.rows[0])).toBe(false);
  });

  it('chaos books - a second point for one measurement id counts as stored twice', () => {
    const books = balanceBooks({
      windows: [window('flood-valid', 10, 5)],
      produced: [counted('a', 11)],
      stored: [point('a', 11), point('a', 11.5, { sensor: 'n3' })],
      startedAtMs: T0,
    });
    expect(books.rows[0]).toMatchObject({ produced: 1, stored: 1, duplicated: 1 });
    expect(rowPasses(books.rows[0])).toBe(false);
  });

  it('chaos books - overlapping leased measurements on a node are a conflict of the later one’s window', () => {
    const books = balanceBooks({
      windows: [window('redis-restarted', 10, 5), window('node-cut-off', 20, 5)],
      produced: [counted('a', 19), counted('b', 20)],
      stored: [point('a', 19, { durationMs: 3000 }), point('b', 20, { monitor: 'n3' })],
      startedAtMs: T0,
    });
    expect(books.rows.map((row) => row.conflicts)).toEqual([0, 1]);
  });

  it('chaos books - a refused measurement (no lease) ran nothing and cannot conflict', () => {
    const books = balanceBooks({
      windows: [window('redis-restarted', 10, 5)],
      produced: [counted('a', 11), counted('b', 11.5)],
      stored: [point('a', 11), point('b', 11.5, { fencingToken: 0, ok: false })],
      startedAtMs: T0,
    });
    expect(books.rows[0].conflicts).toBe(0);
  });

  it('chaos books - not recovered, or recovered after the bound, fails the row', () => {
    const late = balanceBooks({
      windows: [window('sensor-killed', 10, 31), window('gateway-killed', 100, null)],
      produced: [],
      stored: [],
      startedAtMs: T0,
    });
    expect(late.rows.map((row) => [row.recoveredSeconds, rowPasses(row)])).toEqual([
      [31, false],
      [null, false],
    ]);
  });

  it('chaos books - stored results no monitor counted are reported, not counted as lost', () => {
    const books = balanceBooks({
      windows: [window('monitor-killed', 10, 5)],
      produced: [],
      stored: [point('x', 11)],
      startedAtMs: T0,
    });
    expect(books.uncounted).toBe(1);
    expect(books.rows[0]).toMatchObject({ produced: 0, lost: 0 });
  });
});

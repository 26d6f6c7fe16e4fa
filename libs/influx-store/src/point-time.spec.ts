import {
  eventTimestamp,
  measurementOffsetNs,
  nanoTimestamp,
  resultTimestamp,
  sequenceOffsetNs,
} from './point-time.js';

describe('point timestamps', () => {
  it('nanoTimestamp - appends the offset as six digits to the whole milliseconds', () => {
    expect(nanoTimestamp(1_700_000_000_123, 42)).toBe('1700000000123000042');
    expect(nanoTimestamp(1_700_000_000_123.9, 999_999)).toBe('1700000000123999999');
    expect(nanoTimestamp(0, 7)).toBe('7');
  });

  it('nanoTimestamp - refuses offsets outside one millisecond and negative times', () => {
    expect(() => nanoTimestamp(1, 1_000_000)).toThrow(RangeError);
    expect(() => nanoTimestamp(1, -1)).toThrow(RangeError);
    expect(() => nanoTimestamp(-1, 0)).toThrow(RangeError);
  });

  it('resultTimestamp - is the same for the same result, whenever it is computed', () => {
    const first = resultTimestamp(1_700_000_000_000, 'n1#12');

    expect(resultTimestamp(1_700_000_000_000, 'n1#12')).toBe(first);
    expect(first.startsWith('1700000000000')).toBe(true);
  });

  it('resultTimestamp - separates results that start in the same millisecond', () => {
    const stamps = new Set<string>();
    for (let n = 0; n < 1000; n += 1) stamps.add(resultTimestamp(1_700_000_000_000, `n1#${n}`));

    expect(stamps.size).toBe(1000);
  });

  it('measurementOffsetNs - stays inside one millisecond', () => {
    for (const id of ['', 'a', 'n1#12', 'x'.repeat(128)]) {
      const offset = measurementOffsetNs(id);
      expect(Number.isInteger(offset) && offset >= 0 && offset < 1_000_000).toBe(true);
    }
  });

  it('eventTimestamp - uses the stream sequence, so a redelivery keeps its time', () => {
    expect(eventTimestamp(1_700_000_000_000, 17)).toBe('1700000000000000017');
    expect(sequenceOffsetNs(1_000_017)).toBe(17);
  });
});

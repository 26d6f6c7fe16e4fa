import fc from 'fast-check';
import { EventQueue } from './event-queue.js';

describe(EventQueue.name, () => {
  let sut: EventQueue<string>;

  beforeEach(() => {
    sut = new EventQueue<string>();
  });

  const drain = (): { at: number; item: string }[] => {
    const out: { at: number; item: string }[] = [];
    for (let entry = sut.pop(); entry !== undefined; entry = sut.pop()) out.push(entry);
    return out;
  };

  it('event queue - is empty at first: size 0, no peek time, pop gives undefined', () => {
    expect(sut.size).toBe(0);
    expect(sut.peekTime()).toBeUndefined();
    expect(sut.pop()).toBeUndefined();
  });

  it('event queue - pops entries in time order whatever the push order', () => {
    sut.push(30, 'c');
    sut.push(10, 'a');
    sut.push(20, 'b');
    sut.push(5, 'z');
    expect(sut.size).toBe(4);
    expect(sut.peekTime()).toBe(5);
    expect(drain()).toEqual([
      { at: 5, item: 'z' },
      { at: 10, item: 'a' },
      { at: 20, item: 'b' },
      { at: 30, item: 'c' },
    ]);
    expect(sut.size).toBe(0);
  });

  it('event queue - pops entries with equal times in insertion order', () => {
    for (const item of ['first', 'second', 'third', 'fourth', 'fifth']) sut.push(7, item);
    sut.push(3, 'early');
    expect(drain().map((entry) => entry.item)).toEqual([
      'early',
      'first',
      'second',
      'third',
      'fourth',
      'fifth',
    ]);
  });

  it('event queue - keeps insertion order for equal times pushed between pops', () => {
    sut.push(1, 'a');
    sut.push(5, 'b');
    expect(sut.pop()?.item).toBe('a');
    sut.push(5, 'c');
    sut.push(2, 'd');
    sut.push(5, 'e');
    expect(drain().map((entry) => entry.item)).toEqual(['d', 'b', 'c', 'e']);
  });

  it('event queue - matches a stable sort by time for any interleaving of pushes and pops', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), at: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const queue = new EventQueue<number>();
        // The reference: a list kept stably sorted by time (ties in insertion order).
        let reference: { at: number; item: number }[] = [];
        let next = 0;
        for (const step of ops) {
          if (step.kind === 'push') {
            const entry = { at: step.at, item: next++ };
            queue.push(entry.at, entry.item);
            reference = [...reference, entry].sort((a, b) => a.at - b.at || a.item - b.item);
          } else {
            expect(queue.pop()).toEqual(reference.shift());
          }
          expect(queue.size).toBe(reference.length);
          expect(queue.peekTime()).toBe(reference[0]?.at);
        }
        const rest: { at: number; item: number }[] = [];
        for (let entry = queue.pop(); entry !== undefined; entry = queue.pop()) rest.push(entry);
        expect(rest).toEqual(reference);
      }),
      { numRuns: 200 },
    );
  });
});

import { LeaseInputError } from './lease-errors.js';
import {
  requireHolder,
  requireLease,
  requirePositiveInteger,
  requireSensor,
} from './lease-input.js';
import type { Lease } from './lease.js';

describe('lease input', () => {
  it('input - accepts a sensor name and a holder without a separator', () => {
    expect(requireSensor('s1')).toBe('s1');
    expect(requireHolder('n1/monitor/m-42')).toBe('n1/monitor/m-42');
  });

  it.each([[''], [undefined], [42]])('input - refuses sensor %p, naming the rule', (sensor) => {
    expect(() => requireSensor(sensor)).toThrow(LeaseInputError);
    expect(() => requireSensor(sensor)).toThrow(/^sensor: must be a non-empty string, got /);
  });

  it.each([[''], ['n1|m1'], [null]])('input - refuses holder %p, naming the rule', (holder) => {
    expect(() => requireHolder(holder)).toThrow(
      /^holder: must be a non-empty string without '\|', got /,
    );
  });

  it.each([[0], [-5], [1.5], [Number.NaN], [Infinity], [2 ** 53], ['100']])(
    'input - refuses ttlMs %p as not an integer >= 1',
    (ttlMs) => {
      expect(() => requirePositiveInteger('ttlMs', ttlMs)).toThrow(
        new LeaseInputError(
          `ttlMs: must be an integer >= 1, got ${typeof ttlMs === 'string' ? '"100"' : String(ttlMs)}`,
        ),
      );
    },
  );

  it('input - checks every field of a lease handed back, naming the bad one', () => {
    const lease: Lease = { sensor: 's1', holder: 'n1/monitor/m1', token: 3, ttlMs: 1000 };

    expect(requireLease(lease)).toBe(lease);
    expect(() => requireLease({ ...lease, token: 0 })).toThrow(/^token: must be an integer >= 1/);
    expect(() => requireLease({ ...lease, sensor: '' })).toThrow(/^sensor: /);
    expect(() => requireLease({ ...lease, holder: 'a|b' })).toThrow(/^holder: /);
    expect(() => requireLease(null as unknown as Lease)).toThrow(/^lease: must be a Lease object/);
  });
});

import { LeaseStoreError } from './lease-errors.js';
import { parseFlagReply, parseGrantReply, parseReadReply } from './lease-replies.js';
import { formatLeaseValue, parseLeaseValue } from './lease-value.js';

const KEY = 'meshmon:c1:lease:s1';

describe('lease value', () => {
  it('value - reads back what it writes', () => {
    const value = formatLeaseValue(12, 'n1/monitor/m1');

    expect(value).toBe('12|n1/monitor/m1');
    expect(parseLeaseValue(KEY, value)).toEqual({ token: 12, holder: 'n1/monitor/m1' });
  });

  it.each([['12'], ['|n1'], ['0|n1'], ['012|n1'], ['x|n1'], ['12|'], ['99999999999999999|n1']])(
    'value - refuses %p as not "<token>|<holder>", naming the key',
    (value) => {
      expect(() => parseLeaseValue(KEY, value)).toThrow(LeaseStoreError);
      expect(() => parseLeaseValue(KEY, value)).toThrow(`${KEY} holds ${JSON.stringify(value)}`);
    },
  );
});

describe('lease script replies', () => {
  it('replies - read a grant, a deny and a lease read', () => {
    expect(parseGrantReply(KEY, [3, 5000])).toEqual({ token: 3, ttlMs: 5000 });
    expect(parseGrantReply(KEY, null)).toBeNull();
    expect(parseReadReply(KEY, ['3|n1', 0])).toEqual({ value: '3|n1', ttlMs: 0 });
    expect(parseReadReply(KEY, null)).toBeNull();
    expect(parseFlagReply(KEY, 'extend', 1)).toBe(true);
    expect(parseFlagReply(KEY, 'release', 0)).toBe(false);
  });

  it.each([[[0, 5000]], [[3]], ['3|n1'], [[3, -1]], [[3, '5000']]])(
    'replies - refuse grant reply %p',
    (reply) => {
      expect(() => parseGrantReply(KEY, reply)).toThrow(
        `${KEY}: unexpected reply to the acquire script`,
      );
    },
  );

  it('replies - refuse a lease without expiry, which acquire never writes', () => {
    expect(() => parseReadReply(KEY, ['3|n1', -1])).toThrow(`${KEY} has no expiry`);
  });

  it('replies - refuse a flag that is neither 1 nor 0', () => {
    expect(() => parseFlagReply(KEY, 'extend', 'OK')).toThrow(LeaseStoreError);
  });
});

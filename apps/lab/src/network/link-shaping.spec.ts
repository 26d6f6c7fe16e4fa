import { LinkOptionError, parseRate, tbfArgs } from './link-shaping.js';

describe(parseRate.name, () => {
  it.each([
    ['800kbit', 800e3],
    ['200mbit', 200e6],
    ['1gbit', 1e9],
    ['2.5gbit', 2.5e9],
  ])('rate - reads %s as tc does', (rate, bits) => {
    expect(parseRate('linkRate', rate)).toBe(bits);
  });

  it.each([
    ['200', 'must be a tc rate like 200mbit, 1gbit or 800kbit (got "200")'],
    ['200Mbit', 'must be a tc rate like 200mbit, 1gbit or 800kbit (got "200Mbit")'],
    ['200mbps', 'must be a tc rate like 200mbit, 1gbit or 800kbit (got "200mbps")'],
    ['50kbit', 'must be between 100kbit and 40gbit (got "50kbit")'],
    ['41gbit', 'must be between 100kbit and 40gbit (got "41gbit")'],
  ])('rate - refuses %s, naming the field and the rule', (rate, rule) => {
    expect(() => parseRate('linkRate', rate)).toThrow(new LinkOptionError('linkRate', rule));
    expect(() => parseRate('linkRate', rate)).toThrow(`linkRate: ${rule}`);
  });
});

describe(tbfArgs.name, () => {
  it('tbf - a slow link still gets a bucket of one 64 KiB GSO packet', () => {
    expect(tbfArgs(20e6)).toEqual([
      'tbf',
      'rate',
      '20000000bit',
      'burst',
      '65536',
      'latency',
      '20ms',
    ]);
  });

  it('tbf - a fast link gets 4 ms of traffic as its bucket', () => {
    expect(tbfArgs(1e9)).toEqual([
      'tbf',
      'rate',
      '1000000000bit',
      'burst',
      '500000',
      'latency',
      '20ms',
    ]);
  });
});

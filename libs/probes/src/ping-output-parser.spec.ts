import { parsePingOutput } from './ping-output-parser.js';
import { ProbeError } from './probe-error.js';
import { readFixture } from './testing/read-fixture.js';

describe(parsePingOutput.name, () => {
  const sut = parsePingOutput;

  it('ping output - reads counts and rtt from the verbose output', () => {
    expect(sut(readFixture('ping-ok.txt'))).toEqual({
      transmitted: 3,
      received: 3,
      lossPercent: 0,
      rttMs: { min: 0.016, avg: 0.031, max: 0.054, mdev: 0.016 },
    });
  });

  it('ping output - reads the -q output, which has only the summary', () => {
    expect(sut(readFixture('ping-quiet.txt'))).toEqual({
      transmitted: 3,
      received: 3,
      lossPercent: 0,
      rttMs: { min: 0.035, avg: 0.044, max: 0.057, mdev: 0.009 },
    });
  });

  it('ping output - a single reply has mdev 0', () => {
    expect(sut(readFixture('ping-single.txt')).rttMs).toEqual({
      min: 0.018,
      avg: 0.018,
      max: 0.018,
      mdev: 0,
    });
  });

  it('ping output - partial loss keeps the rtt of the replies that came', () => {
    expect(sut(readFixture('ping-loss-partial.txt'))).toEqual({
      transmitted: 10,
      received: 6,
      lossPercent: 40,
      rttMs: { min: 0.011, avg: 0.028, max: 0.058, mdev: 0.018 },
    });
  });

  it('ping output - 100 % loss has no rtt', () => {
    expect(sut(readFixture('ping-loss-all.txt'))).toEqual({
      transmitted: 3,
      received: 0,
      lossPercent: 100,
      rttMs: null,
    });
  });

  it('ping output - reads past "+N errors" and "+N duplicates" and fractional loss', () => {
    // Written in iputils' format (ping_common.c); not captured, since producing ICMP errors
    // here would mean sending to an address outside 127.0.0.0/8.
    const text = [
      '--- 127.0.0.1 ping statistics ---',
      '3 packets transmitted, 1 received, +2 duplicates, +1 errors, 66.6667% packet loss, time 2003ms',
      'rtt min/avg/max/mdev = 0.040/0.045/0.050/0.004 ms, pipe 2',
      '',
    ].join('\n');
    expect(sut(text)).toEqual({
      transmitted: 3,
      received: 1,
      lossPercent: 66.6667,
      rttMs: { min: 0.04, avg: 0.045, max: 0.05, mdev: 0.004 },
    });
  });

  it('ping output - output cut before the summary is malformed-output', () => {
    const text = readFixture('ping-ok.txt').split('\n').slice(0, 4).join('\n');
    expect(() => sut(text)).toThrow(
      expect.objectContaining({ code: 'malformed-output', tool: 'ping' }),
    );
  });

  it('ping output - replies without an rtt line is malformed-output', () => {
    const text = readFixture('ping-quiet.txt').replace(/^rtt.*$/m, '');
    expect(() => sut(text)).toThrow(ProbeError);
    expect(() => sut(text)).toThrow('3 replies arrived but there is no rtt line');
  });

  it('ping output - garbage is malformed-output', () => {
    expect(() => sut('ping: usage error')).toThrow(
      expect.objectContaining({ code: 'malformed-output' }),
    );
  });
});

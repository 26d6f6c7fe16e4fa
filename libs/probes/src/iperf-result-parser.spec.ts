import { parseIperfJson } from './iperf-result-parser.js';
import { ProbeError } from './probe-error.js';
import { readFixture } from './testing/read-fixture.js';

function probeErrorOf(action: () => unknown): ProbeError {
  try {
    action();
  } catch (error) {
    if (error instanceof ProbeError) return error;
    throw error;
  }
  throw new Error('expected a ProbeError, but nothing was thrown');
}

describe(parseIperfJson.name, () => {
  const sut = parseIperfJson;

  it('iperf3 json - reads a TCP run: received rate, sender retransmits, both CPU figures', () => {
    expect(sut(readFixture('iperf3-client-tcp.json.txt'))).toEqual({
      protocol: 'tcp',
      seconds: 1.000534,
      bitsPerSecond: 48103950890.22462,
      bytes: 6016204800,
      retransmits: 1,
      jitterMs: null,
      lostPackets: null,
      packets: null,
      lostPercent: null,
      cpu: { clientPercent: 97.40485846135407, serverPercent: 63.7086336292066 },
    });
  });

  it('iperf3 json - reads a UDP run: jitter and loss from the receiver', () => {
    expect(sut(readFixture('iperf3-client-udp.json.txt'))).toEqual({
      protocol: 'udp',
      seconds: 1.000131,
      bitsPerSecond: 100125891.50821242,
      bytes: 12517376,
      retransmits: null,
      jitterMs: 0.003823121116490958,
      lostPackets: 0,
      packets: 382,
      lostPercent: 0,
      cpu: { clientPercent: 1.5632838735609142, serverPercent: 0.2956583121779829 },
    });
  });

  it('iperf3 json - reports what arrived, not what was sent, when UDP datagrams are lost', () => {
    const result = sut(readFixture('iperf3-client-udp-loss.json.txt'));
    expect(result).toMatchObject({
      bytes: 1798471680,
      bitsPerSecond: 14383932929.907715,
      lostPackets: 21344,
      packets: 76274,
      lostPercent: 27.983323281852268,
    });
  });

  it('iperf3 json - falls back to end.sum for UDP output without end.sum_received', () => {
    const json = JSON.parse(readFixture('iperf3-client-udp-loss.json.txt'));
    delete json.end.sum_received;
    expect(sut(JSON.stringify(json))).toMatchObject({
      bytes: 2499346432,
      bitsPerSecond: 19993411903.99053,
      lostPackets: 21344,
    });
  });

  it('iperf3 json - a TCP run without retransmits (not Linux) gives null, not an error', () => {
    const json = JSON.parse(readFixture('iperf3-client-tcp.json.txt'));
    delete json.end.sum_sent.retransmits;
    expect(sut(JSON.stringify(json)).retransmits).toBeNull();
  });

  it('iperf3 json - maps "the server is busy" to server-busy', () => {
    const error = probeErrorOf(() => sut(readFixture('iperf3-client-busy.json.txt')));
    expect(error).toMatchObject({
      tool: 'iperf3',
      code: 'server-busy',
      detail: 'the server is busy running a test. try again later',
    });
  });

  it('iperf3 json - maps "Connection refused" to connect-failed', () => {
    const error = probeErrorOf(() => sut(readFixture('iperf3-client-refused.json.txt')));
    expect(error).toMatchObject({
      code: 'connect-failed',
      detail: 'unable to connect to server: Connection refused',
    });
  });

  it('iperf3 json - any other iperf3 error is failed, even with complete figures beside it', () => {
    const error = probeErrorOf(() => sut(readFixture('iperf3-client-terminated.json.txt')));
    expect(error.code).toBe('failed');
    expect(error.message).toContain('interrupt - the client has terminated');
  });

  it('iperf3 json - truncated output is malformed-output', () => {
    const text = readFixture('iperf3-client-tcp.json.txt');
    const error = probeErrorOf(() => sut(text.slice(0, text.length / 2)));
    expect(error.code).toBe('malformed-output');
    expect(error.message).toContain('not JSON');
  });

  it.each([[''], ['garbage'], ['[1, 2]'], ['null'], ['"text"']])(
    'iperf3 json - %j is malformed-output',
    (text) => {
      expect(probeErrorOf(() => sut(text)).code).toBe('malformed-output');
    },
  );

  it('iperf3 json - names the missing field', () => {
    const json = JSON.parse(readFixture('iperf3-client-tcp.json.txt'));
    delete json.end.sum_received;
    const error = probeErrorOf(() => sut(JSON.stringify(json)));
    expect(error.code).toBe('malformed-output');
    expect(error.message).toContain('end.sum_received.seconds is missing or not a number');
  });

  it('iperf3 json - names a missing CPU figure', () => {
    const json = JSON.parse(readFixture('iperf3-client-udp.json.txt'));
    json.end.cpu_utilization_percent.remote_total = 'high';
    expect(probeErrorOf(() => sut(JSON.stringify(json))).message).toContain(
      'end.cpu_utilization_percent.remote_total is missing or not a number',
    );
  });

  it('iperf3 json - refuses a protocol other than TCP or UDP', () => {
    const json = JSON.parse(readFixture('iperf3-client-tcp.json.txt'));
    json.start.test_start.protocol = 'SCTP';
    expect(probeErrorOf(() => sut(JSON.stringify(json))).message).toContain('"SCTP"');
  });
});

import { MAX_LINE_PROBLEMS } from '../flow-types.js';
import { parseProcNet } from './proc-net-parser.js';
import { readFixture } from './read-fixture.js';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const tail = '00000000:00000000 00:00000000 00000000     0        0 462983 1 000000008feac11c';

describe(parseProcNet.name, () => {
  it('keeps the established connections of a captured tcp table and drops listeners', () => {
    const sut = parseProcNet(readFixture('proc-net-tcp.txt'), 'tcp');

    expect(sut.problems).toEqual([]);
    // The fixture's client 127.0.0.2:34227 -> server 127.0.0.3:34135, seen from both ends.
    expect(sut.flows).toContainEqual({
      source: 'socket',
      protocol: 'tcp',
      local: { address: '127.0.0.2', port: 34227 },
      remote: { address: '127.0.0.3', port: 34135 },
      state: 1,
    });
    expect(sut.flows).toContainEqual(
      expect.objectContaining({
        local: { address: '127.0.0.3', port: 34135 },
        remote: { address: '127.0.0.2', port: 34227 },
      }),
    );
    expect(sut.flows).toHaveLength(6);
    expect(sut.flows.every((flow) => flow.state === 1)).toBe(true);
  });

  it('maps IPv4-mapped tcp6 addresses to IPv4 and keeps real IPv6 ones', () => {
    const sut = parseProcNet(readFixture('proc-net-tcp6.txt'), 'tcp6');

    expect(sut.problems).toEqual([]);
    // Dual-stack server on port 40533 reached over 127.0.0.1 from port 35504, and over ::1.
    expect(sut.flows).toContainEqual(
      expect.objectContaining({
        local: { address: '127.0.0.1', port: 40533 },
        remote: { address: '127.0.0.1', port: 35504 },
      }),
    );
    expect(sut.flows).toContainEqual(
      expect.objectContaining({
        local: { address: '::1', port: 55026 },
        remote: { address: '::1', port: 40533 },
      }),
    );
    expect(sut.flows).toHaveLength(6);
  });

  it('keeps only connected udp sockets', () => {
    const v4 = parseProcNet(readFixture('proc-net-udp.txt'), 'udp');
    const v6 = parseProcNet(readFixture('proc-net-udp6.txt'), 'udp6');

    expect(v4.flows).toEqual([
      {
        source: 'socket',
        protocol: 'udp',
        local: { address: '127.0.0.2', port: 38005 },
        remote: { address: '127.0.0.3', port: 59742 },
        state: 1,
      },
    ]);
    expect(v6.flows).toEqual([
      {
        source: 'socket',
        protocol: 'udp',
        local: { address: '::1', port: 55076 },
        remote: { address: '::1', port: 49767 },
        state: 1,
      },
    ]);
  });

  it('reports malformed lines by field and rule and still parses the others', () => {
    const text = [
      HEADER,
      `   0: 0200007F:85B3 0300007F:8557 01 ${tail}`,
      `   1: 0200007X:85B3 0300007F:8557 01 ${tail}`,
      `   2: 0200007F:85B3 0300007F 01 ${tail}`,
      `   3: 0200007F:85B3 0300007F:8557 1 ${tail}`,
      '   4: 0200007F:85B3',
      'garbage',
      `   5: 0300007F:8557 0200007F:85B3 01 ${tail}`,
    ].join('\n');

    const sut = parseProcNet(text, 'tcp');

    expect(sut.flows.map((flow) => flow.local.port)).toEqual([34227, 34135]);
    expect(sut.problems).toEqual([
      { line: 3, field: 'local_address', rule: 'must be 8 hex digits:4 hex digits' },
      { line: 4, field: 'rem_address', rule: 'must be 8 hex digits:4 hex digits' },
      { line: 5, field: 'st', rule: 'must be 2 hex digits' },
      { line: 6, field: '(line)', rule: 'must start with "<slot>: local_address rem_address st"' },
      { line: 7, field: '(line)', rule: 'must start with "<slot>: local_address rem_address st"' },
    ]);
    expect(sut.truncated).toBe(false);
  });

  it('refuses IPv4-sized addresses in an IPv6 table', () => {
    const sut = parseProcNet(`   0: 0200007F:85B3 0300007F:8557 01 ${tail}`, 'tcp6');

    expect(sut.flows).toEqual([]);
    expect(sut.problems[0]).toEqual({
      line: 1,
      field: 'local_address',
      rule: 'must be 32 hex digits:4 hex digits',
    });
  });

  it('keeps a bounded list of problems and says when it cut it', () => {
    const text = Array.from({ length: 50 }, () => 'garbage').join('\n');

    const sut = parseProcNet(text, 'udp');

    expect(sut.problems).toHaveLength(MAX_LINE_PROBLEMS);
    expect(sut.truncated).toBe(true);
  });

  it('reads an empty table as no flows', () => {
    expect(parseProcNet(`${HEADER}\n`, 'tcp')).toEqual({
      flows: [],
      problems: [],
      truncated: false,
    });
    expect(parseProcNet('', 'udp6').flows).toEqual([]);
  });
});

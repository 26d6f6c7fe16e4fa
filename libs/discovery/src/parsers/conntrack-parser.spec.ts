import { parseConntrack } from './conntrack-parser.js';
import { readFixture } from './read-fixture.js';

describe(parseConntrack.name, () => {
  it('reads the original direction of every tcp and udp entry of a real listing', () => {
    const sut = parseConntrack(readFixture('conntrack-L.txt'));

    expect(sut.problems).toEqual([]);
    expect(sut.flows).toEqual([
      {
        source: 'conntrack',
        protocol: 'tcp',
        src: { address: 'fd00::1', port: 40001 },
        dst: { address: 'fd00::2', port: 443 },
        state: 'ESTABLISHED',
      },
      {
        source: 'conntrack',
        protocol: 'udp',
        src: { address: '10.0.0.1', port: 41000 },
        dst: { address: '10.0.0.3', port: 53 },
        state: null,
      },
      {
        source: 'conntrack',
        protocol: 'udp',
        src: { address: 'fd00::1', port: 41001 },
        dst: { address: 'fd00::3', port: 5201 },
        state: null,
      },
      {
        source: 'conntrack',
        protocol: 'tcp',
        src: { address: '10.0.0.1', port: 40000 },
        dst: { address: '10.0.0.2', port: 80 },
        state: 'ESTABLISHED',
      },
      {
        source: 'conntrack',
        protocol: 'tcp',
        src: { address: '10.0.0.4', port: 50000 },
        dst: { address: '10.0.0.1', port: 8080 },
        state: 'TIME_WAIT',
      },
    ]);
  });

  it('reads the extended form (leading address family) the same way', () => {
    const plain = parseConntrack(readFixture('conntrack-L.txt'));

    const sut = parseConntrack(readFixture('conntrack-L-extended.txt'));

    expect(sut.problems).toEqual([]);
    expect(sut.flows).toEqual(plain.flows);
  });

  it('tolerates unknown keys, flags and words after the tuple', () => {
    const line =
      'tcp      6 431999 ESTABLISHED zone=3 src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 ' +
      'src=10.0.0.2 dst=10.0.0.1 sport=80 dport=40000 [ASSURED] [OFFLOAD] mark=0 secctx=x use=1 FUTURE';

    const sut = parseConntrack(line);

    expect(sut.problems).toEqual([]);
    expect(sut.flows).toEqual([
      {
        source: 'conntrack',
        protocol: 'tcp',
        src: { address: '10.0.0.1', port: 40000 },
        dst: { address: '10.0.0.2', port: 80 },
        state: 'ESTABLISHED',
      },
    ]);
  });

  it('reports broken entries by key and rule and still parses the others', () => {
    const text = [
      'udp      17 29 src=10.0.0.1 dst=10.0.0.999 sport=41000 dport=53 mark=0 use=1',
      'udp      17 29 src=10.0.0.1 dst=10.0.0.3 sport=41000 dport=70000 mark=0 use=1',
      'tcp      6 119 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 dport=80 mark=0 use=1',
      'tcp      17 119 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=80',
      'tcp      6 soon ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=80',
      'conntrack v1.4.7 (conntrack-tools): 5 flow entries have been shown.',
      'udp      17 29 src=10.0.0.5 dst=10.0.0.6 sport=1000 dport=2000 mark=0 use=1',
    ].join('\n');

    const sut = parseConntrack(text);

    expect(sut.flows.map((flow) => flow.src.address)).toEqual(['10.0.0.5']);
    expect(sut.problems).toEqual([
      { line: 1, field: 'dst', rule: 'must be an IPv4 or IPv6 address' },
      { line: 2, field: 'dport', rule: 'must be a port 0-65535' },
      { line: 3, field: 'sport', rule: 'must be a port 0-65535' },
      { line: 4, field: 'protocol', rule: 'must be tcp 6' },
      { line: 5, field: 'timeout', rule: 'must be a whole number of seconds' },
      { line: 6, field: '(line)', rule: 'must start with "<protocol> <number> <timeout>"' },
    ]);
  });

  it('skips other protocols without calling them problems', () => {
    const text =
      'icmp     1 29 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=7 [UNREPLIED] mark=0 use=1\n' +
      'unknown  2 599 src=10.0.0.1 dst=224.0.0.1 [UNREPLIED] src=224.0.0.1 dst=10.0.0.1 mark=0 use=1\n';

    expect(parseConntrack(text)).toEqual({ flows: [], problems: [], truncated: false });
  });
});

import {
  defaultSubnetCandidates,
  firstFree,
  hostAddress,
  hostCapacity,
  overlaps,
  parseRange,
  parseSubnet,
  type UsedRange,
} from './subnet.js';

function used(cidr: string, device: string | null = 'eth0'): UsedRange {
  const range = parseRange(cidr);
  if (!range) throw new Error(`bad test range ${cidr}`);
  return { ...range, cidr, device };
}

describe(parseSubnet.name, () => {
  it('subnet - reads a private /24 and knows its gateway, nodes and size', () => {
    const sut = parseSubnet('subnet', '10.213.7.0/24');

    expect(hostAddress(sut, 1)).toBe('10.213.7.1');
    expect(hostAddress(sut, 2)).toBe('10.213.7.2');
    expect(hostCapacity(sut)).toBe(254);
    expect(() => hostAddress(sut, 255)).toThrow(RangeError);
  });

  it.each([
    ['10.213.7.0', 'must be an IPv4 subnet like 10.213.7.0/24 (got "10.213.7.0")'],
    ['10.213.7.0/33', 'must be an IPv4 subnet like 10.213.7.0/24 (got "10.213.7.0/33")'],
    ['10.300.7.0/24', 'must be an IPv4 subnet like 10.213.7.0/24 (got "10.300.7.0/24")'],
    ['10.213.0.0/8', 'must have a prefix length from /16 to /28 (got "10.213.0.0/8")'],
    ['10.213.7.0/30', 'must have a prefix length from /16 to /28 (got "10.213.7.0/30")'],
    [
      '10.213.7.5/24',
      'must have its host bits zero: did you mean 10.213.7.0/24? (got "10.213.7.5/24")',
    ],
    [
      '8.8.8.0/24',
      'must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, so lab traffic never leaves this machine (got "8.8.8.0/24")',
    ],
    [
      '172.32.0.0/24',
      'must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, so lab traffic never leaves this machine (got "172.32.0.0/24")',
    ],
  ])('subnet - refuses %s, naming the rule', (cidr, rule) => {
    expect(() => parseSubnet('subnet', cidr)).toThrow(`subnet: ${rule}`);
  });

  it('subnet - accepts the other private ranges', () => {
    expect(parseSubnet('subnet', '172.31.255.0/24').prefix).toBe(24);
    expect(parseSubnet('subnet', '192.168.0.0/16').prefix).toBe(16);
  });
});

describe(overlaps.name, () => {
  it('overlap - a /24 overlaps the /16 around it and a host inside it, not its neighbour', () => {
    const sut = parseSubnet('subnet', '10.213.7.0/24');

    expect(overlaps(sut, used('10.213.0.0/16'))).toBe(true);
    expect(overlaps(sut, used('10.213.7.200'))).toBe(true);
    expect(overlaps(sut, used('10.213.8.0/24'))).toBe(false);
  });
});

describe(firstFree.name, () => {
  it('free subnet - skips the candidates that a route or an address already uses', () => {
    const candidates = ['10.213.1.0/24', '10.213.2.0/24', '10.213.3.0/24'].map((cidr) =>
      parseSubnet('candidate', cidr),
    );

    expect(firstFree(candidates, [used('10.213.1.0/24'), used('10.213.2.9')])?.cidr).toBe(
      '10.213.3.0/24',
    );
    expect(firstFree(candidates, [used('10.0.0.0/8')])).toBeNull();
  });
});

describe(defaultSubnetCandidates.name, () => {
  it('default subnets - all 254 of 10.213.x.0/24, starting where the run id points', () => {
    const sut = defaultSubnetCandidates('ab12');

    expect(new Set(sut.map((subnet) => subnet.cidr)).size).toBe(254);
    expect(sut.every((subnet) => /^10\.213\.([1-9]\d*)\.0\/24$/.test(subnet.cidr))).toBe(true);
    expect(sut.some((subnet) => subnet.cidr === '10.213.255.0/24')).toBe(false);
    expect(defaultSubnetCandidates('ab12')[0]).toEqual(sut[0]);
    expect(defaultSubnetCandidates('ab13')[0]).not.toEqual(sut[0]);
  });
});

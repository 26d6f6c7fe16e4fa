import {
  decodeProcIpv4,
  decodeProcIpv6,
  isLoopbackAddress,
  normalizeAddress,
} from './ip-address.js';

describe(normalizeAddress.name, () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    [' 192.0.2.2 ', '192.0.2.2'],
    ['FD00:0:0:0:0:0:0:2', 'fd00::2'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:a01:203', '10.1.2.3'],
    ['fe80::fc:ff:fe00:1%eth0', 'fe80::fc:ff:fe00:1'],
  ])('turns %s into %s', (text, canonical) => {
    expect(normalizeAddress(text)).toBe(canonical);
  });

  it.each([
    '',
    '10.0.0',
    '10.0.0.256',
    '010.0.0.1',
    'fd00::2::3',
    'example.org',
    'fd00::g',
    '[::1]',
  ])('refuses %p', (text) => {
    expect(normalizeAddress(text)).toBeNull();
  });
});

describe(decodeProcIpv4.name, () => {
  it('reads the little-endian word the kernel prints', () => {
    expect(decodeProcIpv4('0100007F')).toBe('127.0.0.1');
    expect(decodeProcIpv4('0200000A')).toBe('10.0.0.2');
    expect(decodeProcIpv4('00000000')).toBe('0.0.0.0');
  });

  it('refuses text that is not eight hex digits', () => {
    expect(decodeProcIpv4('0100007')).toBeNull();
    expect(decodeProcIpv4('0100007G')).toBeNull();
  });
});

describe(decodeProcIpv6.name, () => {
  it('reads four little-endian words', () => {
    expect(decodeProcIpv6('00000000000000000000000001000000')).toBe('::1');
    expect(decodeProcIpv6('000000000000000000000000000000000')).toBeNull();
    expect(decodeProcIpv6('000000FD000000000000000002000000')).toBe('fd00::2');
  });

  it('turns an IPv4-mapped address into the IPv4 address', () => {
    expect(decodeProcIpv6('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
  });
});

describe(isLoopbackAddress.name, () => {
  it('knows 127.0.0.0/8 and ::1', () => {
    expect(isLoopbackAddress('127.0.0.3')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
  });
});

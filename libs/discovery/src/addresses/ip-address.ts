/**
 * IP addresses in one canonical text form, so that an address read from /proc, one from
 * conntrack, one from os.networkInterfaces() and one from another node's flow map compare
 * equal as strings: dotted IPv4 without leading zeros, IPv6 in RFC 5952 form (lower case,
 * longest zero run compressed), and IPv4-mapped IPv6 (`::ffff:a.b.c.d`, how a dual-stack
 * socket shows an IPv4 peer) as the plain IPv4 address.
 */

const IPV4_TEXT = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_TEXT = /^[0-9A-Fa-f:.]{2,45}$/;
const HEX8 = /^[0-9A-Fa-f]{8}$/;
const HEX32 = /^[0-9A-Fa-f]{32}$/;

/**
 * Eight 16-bit groups to canonical text. The WHATWG URL parser serialises IPv6 hosts
 * exactly as RFC 5952 asks (and as inet_ntop and Node print them), so it does the work.
 */
function formatIpv6(groups: readonly number[]): string {
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0) {
    if (groups[4] === 0 && groups[5] === 0xffff) {
      const high = groups[6];
      const low = groups[7];
      return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
    }
  }
  const text = groups.map((group) => group.toString(16)).join(':');
  return new URL(`http://[${text}]`).hostname.slice(1, -1);
}

/**
 * Canonical text of an IPv4 or IPv6 address, or null when the text is not one. A zone
 * (`fe80::1%eth0`) is dropped: flows and flow maps never carry one.
 */
export function normalizeAddress(text: string): string | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (IPV4_TEXT.test(trimmed)) return trimmed;
  const unzoned = trimmed.split('%')[0];
  if (!unzoned.includes(':') || !IPV6_TEXT.test(unzoned)) return null;
  let host: string;
  try {
    host = new URL(`http://[${unzoned}]`).hostname.slice(1, -1);
  } catch (_notAnAddress) {
    return null;
  }
  return formatIpv6(expandIpv6(host));
}

/** Canonical IPv6 text (as the URL parser leaves it) to its eight groups. */
function expandIpv6(canonical: string): number[] {
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * /proc/net/tcp's IPv4 form: the 32-bit address as the kernel holds it (network byte
 * order) printed as a host-order (little-endian on x86 and arm64) hex word, so
 * `0100007F` is 127.0.0.1. Null when the text is not 8 hex digits.
 */
export function decodeProcIpv4(hex: string): string | null {
  if (!HEX8.test(hex)) return null;
  const bytes = [6, 4, 2, 0].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16));
  return bytes.join('.');
}

/**
 * /proc/net/tcp6's IPv6 form: four 32-bit words, each printed like the IPv4 word above
 * (`00000000000000000000000001000000` is ::1). IPv4-mapped addresses come back as IPv4.
 */
export function decodeProcIpv6(hex: string): string | null {
  if (!HEX32.test(hex)) return null;
  const bytes: number[] = [];
  for (let word = 0; word < 4; word += 1) {
    const chunk = hex.slice(word * 8, word * 8 + 8);
    for (const offset of [6, 4, 2, 0]) {
      bytes.push(Number.parseInt(chunk.slice(offset, offset + 2), 16));
    }
  }
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push((bytes[index] << 8) | bytes[index + 1]);
  return formatIpv6(groups);
}

/** 127.0.0.0/8 and ::1 (canonical text expected). */
export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

/** 0.0.0.0 and :: (canonical text expected): an unconnected socket's remote end. */
export function isUnspecifiedAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

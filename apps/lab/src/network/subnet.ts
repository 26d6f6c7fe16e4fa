import { LinkOptionError } from './link-shaping.js';
import { runCommand } from './run-command.js';

/** An IPv4 network: `network` is the address as an unsigned 32-bit number. */
export interface Ipv4Range {
  readonly network: number;
  readonly prefix: number;
}

export interface Subnet extends Ipv4Range {
  readonly cidr: string;
}

/** Something on this machine that already uses addresses: a route or an interface address. */
export interface UsedRange extends Ipv4Range {
  readonly cidr: string;
  readonly device: string | null;
}

/**
 * Lab traffic must never leave the machine, so lab addresses come from the private ranges
 * only: a public subnet would shadow real hosts of that range for as long as the lab runs.
 */
const PRIVATE_RANGES: readonly Ipv4Range[] = [
  { network: toNumber([10, 0, 0, 0]), prefix: 8 },
  { network: toNumber([172, 16, 0, 0]), prefix: 12 },
  { network: toNumber([192, 168, 0, 0]), prefix: 16 },
];
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;
/** Default subnets are 10.213.<x>.0/24; 10.213/16 is an arbitrary, rarely used corner of 10/8. */
const DEFAULT_SECOND_OCTET = 213;

/** Reads `a.b.c.d/n`: a private range, /16 to /28, with the host bits zero. */
export function parseSubnet(field: string, cidr: string): Subnet {
  const range = parseRange(cidr);
  if (!range || !cidr.includes('/')) {
    throw new LinkOptionError(field, `must be an IPv4 subnet like 10.213.7.0/24 (got "${cidr}")`);
  }
  if (range.prefix < 16 || range.prefix > 28) {
    throw new LinkOptionError(field, `must have a prefix length from /16 to /28 (got "${cidr}")`);
  }
  if ((range.network & ~mask(range.prefix)) >>> 0 !== 0) {
    const network = formatAddress((range.network & mask(range.prefix)) >>> 0);
    throw new LinkOptionError(
      field,
      `must have its host bits zero: did you mean ${network}/${range.prefix}? (got "${cidr}")`,
    );
  }
  if (!PRIVATE_RANGES.some((privateRange) => contains(privateRange, range))) {
    throw new LinkOptionError(
      field,
      `must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, so lab traffic never leaves this machine (got "${cidr}")`,
    );
  }
  return { ...range, cidr };
}

/** The `index`-th address of the subnet: 1 is the gateway, nodes start at 2. */
export function hostAddress(subnet: Ipv4Range, index: number): string {
  if (!Number.isInteger(index) || index < 1 || index > hostCapacity(subnet)) {
    throw new RangeError(`host index ${index} is outside the subnet`);
  }
  return formatAddress((subnet.network + index) >>> 0);
}

/** Usable addresses: all but the network and broadcast address. */
export function hostCapacity(subnet: Ipv4Range): number {
  return 2 ** (32 - subnet.prefix) - 2;
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return (a.network & mask(prefix)) >>> 0 === (b.network & mask(prefix)) >>> 0;
}

/** Routes (all tables) and interface addresses of the root namespace, default route excepted. */
export async function usedRanges(): Promise<UsedRange[]> {
  const [routesJson, addressesJson] = await Promise.all([
    runCommand('ip', ['-j', '-4', 'route', 'show', 'table', 'all']),
    runCommand('ip', ['-j', '-4', 'addr', 'show']),
  ]);
  const used: UsedRange[] = [];
  const routes = JSON.parse(routesJson || '[]') as { dst?: string; dev?: string }[];
  for (const route of routes) {
    const range = route.dst ? parseRange(route.dst) : null;
    if (range) used.push({ ...range, cidr: route.dst as string, device: route.dev ?? null });
  }
  const links = JSON.parse(addressesJson || '[]') as {
    ifname: string;
    addr_info?: { local?: string; prefixlen?: number }[];
  }[];
  for (const link of links) {
    for (const info of link.addr_info ?? []) {
      const range = info.local ? parseRange(`${info.local}/${info.prefixlen ?? 32}`) : null;
      if (range) {
        const network = (range.network & mask(range.prefix)) >>> 0;
        used.push({
          network,
          prefix: range.prefix,
          cidr: `${info.local}/${info.prefixlen}`,
          device: link.ifname,
        });
      }
    }
  }
  return used;
}

/** The first of `candidates` that overlaps nothing in `used`, or null. */
export function firstFree(
  candidates: readonly Subnet[],
  used: readonly UsedRange[],
): Subnet | null {
  return candidates.find((candidate) => !used.some((range) => overlaps(candidate, range))) ?? null;
}

/**
 * 10.213.1.0/24 .. 10.213.254.0/24, starting at one picked from the run id: two labs started
 * at the same moment then most likely try different subnets (the post-create check in
 * LabNetwork catches the rare tie).
 */
export function defaultSubnetCandidates(runId: string): Subnet[] {
  let hash = 0;
  for (const char of runId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const first = hash % 254;
  return Array.from({ length: 254 }, (_, i) => {
    const third = ((first + i) % 254) + 1;
    const network = toNumber([10, DEFAULT_SECOND_OCTET, third, 0]);
    return { network, prefix: 24, cidr: `10.${DEFAULT_SECOND_OCTET}.${third}.0/24` };
  });
}

/** Explains an overlap for an error message: `10.213.7.0/24 (route on eth0)`. */
export function describeUsed(range: UsedRange): string {
  return `${range.cidr}${range.device ? ` on ${range.device}` : ''}`;
}

export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

/** `a.b.c.d` or `a.b.c.d/n` as a range, or null; no rules beyond being IPv4. */
export function parseRange(text: string): Ipv4Range | null {
  const match = CIDR.exec(text);
  if (!match) return null;
  const octets = match.slice(1, 5).map(Number);
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return null;
  return { network: toNumber(octets), prefix };
}

function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return inner.prefix >= outer.prefix && overlaps(outer, inner);
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function toNumber(octets: readonly number[]): number {
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

/**
 * The requested subnet if nothing here overlaps it, else an error naming what does; without
 * a request the first free default subnet.
 */
export async function chooseSubnet(runId: string, requested: Subnet | null): Promise<Subnet> {
  const used = await usedRanges();
  if (requested) {
    const clashes = used.filter((range) => overlaps(range, requested));
    if (clashes.length > 0) {
      throw new LinkOptionError(
        'subnet',
        `${requested.cidr} overlaps ${clashes.map(describeUsed).join(', ')} on this machine; pick a free private subnet`,
      );
    }
    return requested;
  }
  const free = firstFree(defaultSubnetCandidates(runId), used);
  if (!free) {
    throw new LinkOptionError(
      'subnet',
      'no 10.213.x.0/24 is free on this machine; pass a free private subnet',
    );
  }
  return free;
}

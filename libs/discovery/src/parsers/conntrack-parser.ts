/**
 * Parses `conntrack -L` output (conntrack-tools), one entry per line:
 *
 *   tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 \
 *            src=10.0.0.2 dst=10.0.0.1 sport=80 dport=40000 [ASSURED] mark=0 use=1
 *   udp      17 29 src=10.0.0.1 dst=10.0.0.3 sport=41000 dport=53 [UNREPLIED] src=… use=1
 *
 * The first src/dst/sport/dport are the original direction (who opened the flow); the
 * second set is the reply direction and is not used (it differs only under NAT). The
 * `-o extended` form's leading `ipv4     2` is accepted. Flags (`[ASSURED]`) and keys
 * this parser does not know (`mark`, `zone`, `secctx`, `id`, …) are skipped, so other
 * conntrack versions and kernels parse. Entries of other protocols (icmp, icmpv6, gre,
 * sctp, …) are valid but carry no ports Meshmon could measure, so they are skipped too.
 * The summary line ("N flow entries have been shown") goes to stderr, not here.
 */
import { normalizeAddress } from '../addresses/ip-address.js';
import {
  boundedLines,
  ParseCollector,
  type ConntrackFlow,
  type Endpoint,
  type FlowProtocol,
  type ParsedFlows,
} from '../flow-types.js';

const FAMILIES = new Set(['ipv4', 'ipv6']);
const PROTOCOL_NUMBERS: Readonly<Record<FlowProtocol, string>> = { tcp: '6', udp: '17' };
const PORT_TEXT = /^\d{1,5}$/;
const STATE_TEXT = /^[A-Z_]+$/;
const TUPLE_KEYS = ['src', 'dst', 'sport', 'dport'] as const;

export function parseConntrack(text: string): ParsedFlows<ConntrackFlow> {
  const collector = new ParseCollector<ConntrackFlow>();
  for (const [index, raw] of boundedLines(text, collector).entries()) {
    const line = index + 1;
    let tokens = raw.trim().split(/\s+/);
    if (tokens[0] === '') continue;
    if (FAMILIES.has(tokens[0])) tokens = tokens.slice(2);
    const protocol = tokens[0];
    if (protocol !== 'tcp' && protocol !== 'udp') {
      // Another protocol, or not an entry at all: only the former is fine.
      if (!/^[a-z0-9-]+$/.test(protocol ?? '') || !/^\d+$/.test(tokens[1] ?? '')) {
        collector.problem(line, '(line)', 'must start with "<protocol> <number> <timeout>"');
      }
      continue;
    }
    const flow = parseEntry(protocol, tokens, line, collector);
    if (flow !== null) collector.flows.push(flow);
  }
  return collector.result();
}

function parseEntry(
  protocol: FlowProtocol,
  tokens: readonly string[],
  line: number,
  collector: ParseCollector<ConntrackFlow>,
): ConntrackFlow | null {
  if (tokens[1] !== PROTOCOL_NUMBERS[protocol]) {
    collector.problem(line, 'protocol', `must be ${protocol} ${PROTOCOL_NUMBERS[protocol]}`);
    return null;
  }
  if (!/^\d+$/.test(tokens[2] ?? '')) {
    collector.problem(line, 'timeout', 'must be a whole number of seconds');
    return null;
  }
  let state: string | null = null;
  const original = new Map<string, string>();
  for (const token of tokens.slice(3)) {
    const equals = token.indexOf('=');
    if (equals === -1) {
      // TCP's state comes before the first key; a bare word later is a future field.
      if (original.size === 0 && state === null && STATE_TEXT.test(token)) state = token;
      continue;
    }
    const key = token.slice(0, equals);
    // The first occurrence is the original direction; the reply repeats the keys.
    if ((TUPLE_KEYS as readonly string[]).includes(key) && !original.has(key)) {
      original.set(key, token.slice(equals + 1));
    }
  }
  const src = endpoint(original, 'src', 'sport', line, collector);
  const dst = endpoint(original, 'dst', 'dport', line, collector);
  if (src === null || dst === null) return null;
  return { source: 'conntrack', protocol, src, dst, state: protocol === 'tcp' ? state : null };
}

function endpoint(
  tuple: ReadonlyMap<string, string>,
  addressKey: string,
  portKey: string,
  line: number,
  collector: ParseCollector<ConntrackFlow>,
): Endpoint | null {
  const addressText = tuple.get(addressKey);
  const portText = tuple.get(portKey);
  const address = addressText === undefined ? null : normalizeAddress(addressText);
  const port = portText !== undefined && PORT_TEXT.test(portText) ? Number(portText) : NaN;
  if (address === null) collector.problem(line, addressKey, 'must be an IPv4 or IPv6 address');
  if (!(port >= 0 && port <= 65_535)) collector.problem(line, portKey, 'must be a port 0-65535');
  return address === null || !(port >= 0 && port <= 65_535) ? null : { address, port };
}

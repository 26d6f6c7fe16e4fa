/**
 * Parses /proc/net/{tcp,tcp6,udp,udp6}: the sockets of the reading process's network
 * namespace. Each line after the header is
 *
 *   sl: local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
 *
 * with addresses as `HEX:PORT` (see decodeProcIpv4/decodeProcIpv6) and `st` the
 * kernel's state code in hex. Only flows between two ends are kept: ESTABLISHED TCP
 * sockets and connected UDP sockets (a remote address and port set). Listening and
 * closing sockets, and the columns after `st`, are not looked at, so new kernel columns
 * do not break the parser.
 */
import { decodeProcIpv4, decodeProcIpv6 } from '../addresses/ip-address.js';
import {
  boundedLines,
  ParseCollector,
  type Endpoint,
  type ParsedFlows,
  type SocketFlow,
} from '../flow-types.js';

export type ProcNetFile = 'tcp' | 'tcp6' | 'udp' | 'udp6';
export const PROC_NET_FILES: readonly ProcNetFile[] = ['tcp', 'tcp6', 'udp', 'udp6'];

/** TCP_ESTABLISHED in include/net/tcp_states.h. */
export const TCP_ESTABLISHED = 0x01;

const SLOT = /^\d+:$/;
const STATE = /^[0-9A-Fa-f]{2}$/;
const PORT = /^[0-9A-Fa-f]{4}$/;

export function parseProcNet(text: string, file: ProcNetFile): ParsedFlows<SocketFlow> {
  const collector = new ParseCollector<SocketFlow>();
  const protocol = file.startsWith('tcp') ? 'tcp' : 'udp';
  const ipv6 = file.endsWith('6');
  const lines = boundedLines(text, collector);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0] === 'sl') continue;
    if (fields.length < 4 || !SLOT.test(fields[0])) {
      collector.problem(line, '(line)', 'must start with "<slot>: local_address rem_address st"');
      continue;
    }
    const local = endpoint(fields[1], ipv6);
    const remote = endpoint(fields[2], ipv6);
    const addressRule = ipv6
      ? 'must be 32 hex digits:4 hex digits'
      : 'must be 8 hex digits:4 hex digits';
    if (local === null) collector.problem(line, 'local_address', addressRule);
    if (remote === null) collector.problem(line, 'rem_address', addressRule);
    if (!STATE.test(fields[3])) collector.problem(line, 'st', 'must be 2 hex digits');
    if (local === null || remote === null || !STATE.test(fields[3])) continue;
    const state = Number.parseInt(fields[3], 16);
    if (!isFlow(protocol, state, remote)) continue;
    collector.flows.push({ source: 'socket', protocol, local, remote, state });
  }
  return collector.result();
}

function endpoint(text: string, ipv6: boolean): Endpoint | null {
  const [hexAddress, hexPort, extra] = text.split(':');
  if (extra !== undefined || hexPort === undefined || !PORT.test(hexPort)) return null;
  const address = ipv6 ? decodeProcIpv6(hexAddress) : decodeProcIpv4(hexAddress);
  return address === null ? null : { address, port: Number.parseInt(hexPort, 16) };
}

/** ESTABLISHED TCP; UDP that is connect()ed (a bound-only socket has remote 0:0). */
function isFlow(protocol: 'tcp' | 'udp', state: number, remote: Endpoint): boolean {
  if (protocol === 'tcp') return state === TCP_ESTABLISHED;
  return remote.port !== 0 && remote.address !== '0.0.0.0' && remote.address !== '::';
}

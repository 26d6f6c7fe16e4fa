import { ProbeError } from './probe-error.js';

export type IperfProtocol = 'tcp' | 'udp';

/** One iperf3 client run as the monitor records it. Rates are in bits per second. */
export interface IperfResult {
  readonly protocol: IperfProtocol;
  /** Length of the measured interval on the receiving side. */
  readonly seconds: number;
  /** What arrived at the receiver, not what the sender pushed out. */
  readonly bitsPerSecond: number;
  readonly bytes: number;
  /** TCP sender retransmits; null for UDP, and where the OS does not report them. */
  readonly retransmits: number | null;
  /** UDP only, measured by the receiver. */
  readonly jitterMs: number | null;
  readonly lostPackets: number | null;
  /** UDP datagrams sent; `lostPackets / packets` is the loss. */
  readonly packets: number | null;
  readonly lostPercent: number | null;
  /**
   * CPU use of the iperf3 processes over the test, as iperf3 measures it (user + system time
   * over wall time, so a busy single thread reads about 100). The thesis recorded both next
   * to every throughput figure: a saturated CPU, not the network, can be the bottleneck.
   */
  readonly cpu: { readonly clientPercent: number; readonly serverPercent: number };
}

/**
 * Reads the output of `iperf3 -c ... -J` (checked against iperf3 3.12).
 *
 * iperf3 reports failures inside the JSON, in a top-level "error" string, and with `-J` it
 * exits with status 0 even then, so the exit status says nothing and this field decides.
 *
 * TCP: the rate is `end.sum_received` (what arrived); retransmits come from `end.sum_sent`.
 * UDP: jitter and loss come from `end.sum` (the receiver's figures against the datagrams
 * sent); the rate from `end.sum_received`, which 3.12 adds, or `end.sum` before that, where
 * `sum` still carries the sender's bytes.
 * CPU: `end.cpu_utilization_percent.host_total` is the client, `remote_total` the server.
 */
export function parseIperfJson(text: string): IperfResult {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw malformed(`output is not JSON (${(error as Error).message})`, excerpt(text));
  }
  if (!isRecord(root)) throw malformed('output is not a JSON object', excerpt(text));
  if (typeof root.error === 'string') throw iperfReportedError(root.error);

  const protocolName = stringAt(root, 'start.test_start.protocol');
  const cpu = {
    clientPercent: numberAt(root, 'end.cpu_utilization_percent.host_total'),
    serverPercent: numberAt(root, 'end.cpu_utilization_percent.remote_total'),
  };
  if (protocolName === 'TCP') {
    const received = 'end.sum_received';
    return {
      protocol: 'tcp',
      seconds: numberAt(root, `${received}.seconds`),
      bitsPerSecond: numberAt(root, `${received}.bits_per_second`),
      bytes: numberAt(root, `${received}.bytes`),
      retransmits: optionalNumberAt(root, 'end.sum_sent.retransmits'),
      jitterMs: null,
      lostPackets: null,
      packets: null,
      lostPercent: null,
      cpu,
    };
  }
  if (protocolName === 'UDP') {
    const received =
      valueAt(root, 'end.sum_received') === undefined ? 'end.sum' : 'end.sum_received';
    return {
      protocol: 'udp',
      seconds: numberAt(root, `${received}.seconds`),
      bitsPerSecond: numberAt(root, `${received}.bits_per_second`),
      bytes: numberAt(root, `${received}.bytes`),
      retransmits: null,
      jitterMs: numberAt(root, 'end.sum.jitter_ms'),
      lostPackets: numberAt(root, 'end.sum.lost_packets'),
      packets: numberAt(root, 'end.sum.packets'),
      lostPercent: numberAt(root, 'end.sum.lost_percent'),
      cpu,
    };
  }
  throw malformed(`start.test_start.protocol is "${protocolName}", expected "TCP" or "UDP"`);
}

/**
 * Maps iperf3's error text to a code. 3.12 words them as "the server is busy running a test.
 * try again later" (its error 121 family, "access denied") and "unable to connect to server:
 * Connection refused".
 */
export function iperfReportedError(message: string): ProbeError {
  if (/busy/i.test(message)) {
    return new ProbeError('iperf3', 'server-busy', 'the server is running another test', message);
  }
  if (/unable to connect|connection refused/i.test(message)) {
    return new ProbeError('iperf3', 'connect-failed', 'could not connect to the server', message);
  }
  return new ProbeError('iperf3', 'failed', `iperf3 reported: ${message}`, message);
}

function malformed(message: string, detail?: string): ProbeError {
  return new ProbeError('iperf3', 'malformed-output', message, detail);
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: Record<string, unknown>, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split('.')) {
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
}

function numberAt(root: Record<string, unknown>, path: string): number {
  const value = valueAt(root, path);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw malformed(`${path} is missing or not a number`);
  }
  return value;
}

function optionalNumberAt(root: Record<string, unknown>, path: string): number | null {
  return valueAt(root, path) === undefined ? null : numberAt(root, path);
}

function stringAt(root: Record<string, unknown>, path: string): string {
  const value = valueAt(root, path);
  if (typeof value !== 'string') throw malformed(`${path} is missing or not a string`);
  return value;
}

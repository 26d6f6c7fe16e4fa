import { describeExit, runChild } from './child-process.js';
import { parseIperfJson, type IperfProtocol, type IperfResult } from './iperf-result-parser.js';
import { checkBitrate, checkHost, checkInteger, checkPort } from './option-checks.js';
import { ProbeError, ProbeInputError } from './probe-error.js';

/** Far above a 10 s run's JSON (about 15 KiB); a runaway output is cut and reported. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
const MAX_TIMER_MS = 2_147_483_647;

export interface IperfClientOptions {
  readonly host: string;
  readonly port: number;
  /** Test length, whole seconds (iperf3 reads `-t` with atoi). */
  readonly seconds: number;
  readonly protocol: IperfProtocol;
  /** UDP target rate, e.g. `100M`; iperf3's default for UDP is 1M. */
  readonly udpBitrate?: string;
  /** Local address to send from (`-B`). */
  readonly bindAddress?: string;
  /** iperf3's own `--connect-timeout`: how long to wait for the server to answer. */
  readonly connectTimeoutMs?: number;
  /** The whole run, including connecting; the child is killed when it passes. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Path of the iperf3 binary; `iperf3` from PATH by default. */
  readonly executable?: string;
  /** Called with the child's pid once it runs, e.g. for logging. */
  readonly onSpawn?: (pid: number) => void;
}

/** The command line for one client run; throws ProbeInputError naming a bad option. */
export function iperfClientArgs(o: IperfClientOptions): string[] {
  const args = [
    '-c',
    checkHost('host', o.host),
    '-p',
    String(checkPort('port', o.port)),
    '-t',
    String(checkInteger('seconds', o.seconds, 1, 86_400)),
    '-J',
  ];
  if (o.protocol === 'udp') {
    args.push('-u');
    if (o.udpBitrate !== undefined) args.push('-b', checkBitrate('udpBitrate', o.udpBitrate));
  } else if (o.protocol === 'tcp') {
    if (o.udpBitrate !== undefined) {
      throw new ProbeInputError('udpBitrate', 'only applies when protocol is udp');
    }
  } else {
    throw new ProbeInputError('protocol', `must be "tcp" or "udp" (got "${String(o.protocol)}")`);
  }
  if (o.bindAddress !== undefined) args.push('-B', checkHost('bindAddress', o.bindAddress));
  if (o.connectTimeoutMs !== undefined) {
    const ms = checkInteger('connectTimeoutMs', o.connectTimeoutMs, 1, MAX_TIMER_MS);
    args.push('--connect-timeout', String(ms));
  }
  checkInteger('timeoutMs', o.timeoutMs, 1, MAX_TIMER_MS);
  return args;
}

/**
 * Runs `iperf3 -c host -p port -t seconds -J` to completion and returns its figures, or
 * rejects with a ProbeError: `server-busy`, `connect-failed`, `timeout`, `cancelled` (the
 * child is gone by then), `malformed-output`, `spawn-failed` or `failed`.
 */
export async function runIperfClient(o: IperfClientOptions): Promise<IperfResult> {
  const args = iperfClientArgs(o);
  const outcome = await runChild({
    tool: 'iperf3',
    file: o.executable ?? 'iperf3',
    args,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    maxStdoutBytes: MAX_JSON_BYTES,
    onSpawn: o.onSpawn,
  });
  if (outcome.stdoutOverflowed) {
    throw new ProbeError('iperf3', 'malformed-output', `output exceeded ${MAX_JSON_BYTES} bytes`);
  }
  // Option errors and crashes print text to stderr and no JSON at all.
  if (outcome.stdout.trim() === '') {
    throw new ProbeError(
      'iperf3',
      'failed',
      `ended with ${describeExit(outcome.exitCode, outcome.signal)} and printed no JSON`,
      outcome.stderr.trim() || undefined,
    );
  }
  const result = parseIperfJson(outcome.stdout);
  if (result.protocol !== o.protocol) {
    throw new ProbeError(
      'iperf3',
      'malformed-output',
      `asked for ${o.protocol} but the output reports ${result.protocol}`,
    );
  }
  return result;
}

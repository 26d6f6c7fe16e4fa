import { describeExit, runChild } from './child-process.js';
import { checkHost, checkInteger } from './option-checks.js';
import { parsePingOutput, type PingResult } from './ping-output-parser.js';
import { ProbeError, ProbeInputError } from './probe-error.js';

/** `-q` leaves only the summary; anything near this size is not ping's. */
const MAX_OUTPUT_BYTES = 64 * 1024;
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_REPLY_TIMEOUT_SECONDS = 1;

export interface PingOptions {
  readonly host: string;
  /** Echo requests to send, 1..100000. */
  readonly count: number;
  /** Seconds between requests, 0.001..3600 (below 0.002 needs root). */
  readonly intervalSeconds: number;
  /**
   * How long ping waits for the last reply (`-W`), 0.001..3600, default 1. ping's own default
   * is 10 s, which a probe at 100 % loss would otherwise spend waiting after its last request.
   */
  readonly replyTimeoutSeconds?: number;
  /** The whole run; the child is killed when it passes. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Path of the ping binary; `ping` from PATH by default. */
  readonly executable?: string;
  /** Called with the child's pid once it runs, e.g. for logging. */
  readonly onSpawn?: (pid: number) => void;
}

/** The command line for one ping run; throws ProbeInputError naming a bad option. */
export function pingArgs(o: PingOptions): string[] {
  checkInteger('timeoutMs', o.timeoutMs, 1, MAX_TIMER_MS);
  return [
    '-n',
    '-q',
    '-c',
    String(checkInteger('count', o.count, 1, 100_000)),
    '-i',
    seconds('intervalSeconds', o.intervalSeconds),
    '-W',
    seconds('replyTimeoutSeconds', o.replyTimeoutSeconds ?? DEFAULT_REPLY_TIMEOUT_SECONDS),
    checkHost('host', o.host),
  ];
}

/**
 * Runs `ping -n -q -c count -i interval host` and returns its statistics, or rejects with a
 * ProbeError: `connect-failed` (no route to the host), `timeout`, `cancelled` (the child is
 * gone by then), `malformed-output`, `spawn-failed` or `failed` (e.g. unknown host).
 */
export async function runPing(o: PingOptions): Promise<PingResult> {
  const args = pingArgs(o);
  const outcome = await runChild({
    tool: 'ping',
    file: o.executable ?? 'ping',
    args,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    maxStdoutBytes: MAX_OUTPUT_BYTES,
    onSpawn: o.onSpawn,
  });
  // iputils exits 0 when a reply came, 1 when none did (a valid 100 % loss result), and 2
  // on errors such as an unknown host or no route.
  if (outcome.exitCode === 0 || outcome.exitCode === 1) return parsePingOutput(outcome.stdout);
  const detail = outcome.stderr.trim() || undefined;
  const code = /unreachable|connect:/i.test(outcome.stderr) ? 'connect-failed' : 'failed';
  throw new ProbeError(
    'ping',
    code,
    `ended with ${describeExit(outcome.exitCode, outcome.signal)}${detail ? `: ${detail}` : ''}`,
    detail,
  );
}

/** 0.001..3600, so that String() never yields exponent notation ping cannot read. */
function seconds(field: string, value: number): string {
  if (!Number.isFinite(value) || value < 0.001 || value > 3600) {
    throw new ProbeInputError(field, `must be a number of seconds in 0.001..3600 (got ${value})`);
  }
  return String(value);
}

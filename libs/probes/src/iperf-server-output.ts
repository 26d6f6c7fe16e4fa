/**
 * Reads the text output of `iperf3 -s --forceflush` line by line. The server runs without
 * `-J` on purpose: with `-J` it prints nothing until it exits, and the only other ways to
 * see that it listens are a TCP connect (which a one-off server takes as its one client and
 * exits) or polling /proc. Its text output says "Server listening on <port>" right after
 * listen(), and `--forceflush` makes that line reach the pipe at once instead of sitting in
 * stdio's buffer.
 */

export type IperfServerExitReason =
  /** A client ran its test to the end; a one-off server then exits. */
  | 'served'
  /** No client came within `--idle-timeout`. */
  | 'idle-timeout'
  /** A client started but vanished, stalled past `--rcv-timeout`, or was not iperf3. */
  | 'client-lost'
  /** Ended by `stop()`. */
  | 'stopped'
  | 'failed';

export interface IperfServerExit {
  readonly reason: IperfServerExitReason;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** iperf3's own error line(s), when it printed any. */
  readonly detail?: string;
}

export type IperfServerEvent = 'listening' | 'accepted';

/** iperf3 3.12 wordings for a client that went away or was not a real iperf3 client. */
const CLIENT_LOST =
  /client has unexpectedly closed|client has terminated|idle timeout for receiving data|unable to receive parameters from client|control socket has closed unexpectedly|unable to receive control message/i;

/** A line this long without a newline is not iperf3 talking; it is dropped, not buffered. */
const MAX_LINE_CHARS = 4096;
/** Error lines kept for the exit detail. */
const MAX_ERROR_LINES = 10;

export class IperfServerOutput {
  listening = false;
  accepted = false;
  /** `iperf3: ...` lines (stderr), without the "exiting" farewell. */
  readonly errors: string[] = [];
  private readonly partial = { stdout: '', stderr: '' };

  /** Feeds a chunk of one stream; returns the events it completed, in order. */
  feed(stream: 'stdout' | 'stderr', chunk: string): IperfServerEvent[] {
    const lines = (this.partial[stream] + chunk).split('\n');
    const rest = lines.pop() ?? '';
    this.partial[stream] = rest.length > MAX_LINE_CHARS ? '' : rest;
    return lines.flatMap((line) => this.readLine(line));
  }

  /** Reads what is left after the streams close (a last line without newline). */
  end(): IperfServerEvent[] {
    const rest = [this.partial.stdout, this.partial.stderr];
    this.partial.stdout = this.partial.stderr = '';
    return rest.flatMap((line) => this.readLine(line));
  }

  private readLine(raw: string): IperfServerEvent[] {
    const line = raw.trim();
    if (line.startsWith('Server listening on') && !this.listening) {
      this.listening = true;
      return ['listening'];
    }
    if (line.startsWith('Accepted connection from') && !this.accepted) {
      this.accepted = true;
      return ['accepted'];
    }
    if (line.startsWith('iperf3: ') && line !== 'iperf3: exiting') {
      if (this.errors.length < MAX_ERROR_LINES) this.errors.push(line);
    }
    return [];
  }
}

/** Why the server process ended, from what it printed and how it exited. */
export function classifyServerExit(
  output: Pick<IperfServerOutput, 'accepted' | 'errors'>,
  exit: { exitCode: number | null; signal: string | null; stopRequested: boolean },
): IperfServerExit {
  const detail = output.errors.length > 0 ? output.errors.join('\n') : undefined;
  const base = { exitCode: exit.exitCode, signal: exit.signal, detail };
  if (exit.stopRequested) return { reason: 'stopped', ...base };
  if (output.errors.some((line) => CLIENT_LOST.test(line)))
    return { reason: 'client-lost', ...base };
  if (exit.exitCode === 0 && output.errors.length === 0) {
    return { reason: output.accepted ? 'served' : 'idle-timeout', ...base };
  }
  return { reason: 'failed', ...base };
}

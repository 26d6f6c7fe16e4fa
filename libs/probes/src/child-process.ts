import { spawn, type ChildProcess } from 'node:child_process';
import { ProbeError, type ProbeTool } from './probe-error.js';

/** How long a child gets to exit after SIGTERM before SIGKILL. iperf3 and ping need far less. */
export const KILL_GRACE_MS = 1000;

/** stderr is only ever an error message; more than this is noise and is cut. */
const MAX_STDERR_BYTES = 16 * 1024;

/**
 * Sends SIGTERM now and SIGKILL if the child is still there after the grace. Callers wait for
 * the child's 'close' event before reporting, so when they do, Node has reaped the pid: no
 * zombie remains, and a `kill(pid, 0)` check afterwards sees ESRCH.
 */
export function terminate(child: ChildProcess, graceMs = KILL_GRACE_MS): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  child.once('exit', () => clearTimeout(timer));
}

/** Spawns without a shell; `LC_ALL=C` keeps the tools' output in the English the parsers read. */
export function spawnTool(file: string, args: readonly string[]): ChildProcess {
  return spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
}

/** Keeps at most `maxBytes` of a stream and remembers whether more came. */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  overflowed = false;

  constructor(private readonly maxBytes: number) {}

  add(chunk: Buffer): void {
    const room = this.maxBytes - this.kept;
    if (chunk.length > room) this.overflowed = true;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** Decoded once at the end, so a multi-byte character split across chunks stays whole. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export interface ChildRunOptions {
  readonly tool: ProbeTool;
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly maxStdoutBytes: number;
  readonly onSpawn?: (pid: number) => void;
}

export interface ChildOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stdoutOverflowed: boolean;
  readonly stderr: string;
}

/**
 * Runs a tool to completion and collects its output. Rejects with `timeout` or `cancelled`
 * only after the child has exited (SIGTERM, then SIGKILL after the grace), and with
 * `spawn-failed` when it could not start. Any exit status resolves: the caller knows what
 * the tool's status means.
 */
export function runChild(o: ChildRunOptions): Promise<ChildOutcome> {
  if (o.signal?.aborted) {
    return Promise.reject(cancelledError(o.tool, o.signal));
  }
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnTool(o.file, o.args);
    } catch (error) {
      reject(spawnFailedError(o.tool, o.file, error));
      return;
    }
    const stdout = new BoundedOutput(o.maxStdoutBytes);
    const stderr = new BoundedOutput(MAX_STDERR_BYTES);
    child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));

    let settled = false;
    let stopReason: 'timeout' | 'cancelled' | undefined;
    const stop = (reason: 'timeout' | 'cancelled'): void => {
      if (stopReason) return;
      stopReason = reason;
      terminate(child);
    };
    const timer = setTimeout(() => stop('timeout'), o.timeoutMs);
    const onAbort = (): void => stop('cancelled');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    };

    child.once('spawn', () => {
      if (child.pid !== undefined) o.onSpawn?.(child.pid);
    });
    child.on('error', (error) => {
      // After a successful spawn, 'error' only reports a failed kill; 'close' still follows.
      if (settled || child.pid !== undefined) return;
      finish();
      reject(spawnFailedError(o.tool, o.file, error));
    });
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      finish();
      if (stopReason === 'timeout') {
        reject(
          new ProbeError(
            o.tool,
            'timeout',
            `no result within ${o.timeoutMs} ms; the process was killed`,
          ),
        );
        return;
      }
      if (stopReason === 'cancelled') {
        reject(cancelledError(o.tool, o.signal));
        return;
      }
      resolve({
        exitCode,
        signal,
        stdout: stdout.text(),
        stdoutOverflowed: stdout.overflowed,
        stderr: stderr.text(),
      });
    });
  });
}

/** `exit code 1`, `signal SIGKILL`: for messages about a child that ended unexpectedly. */
export function describeExit(exitCode: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${exitCode}`;
}

function cancelledError(tool: ProbeTool, signal: AbortSignal | undefined): ProbeError {
  return new ProbeError(tool, 'cancelled', 'cancelled by the caller', undefined, {
    cause: signal?.reason,
  });
}

export function spawnFailedError(tool: ProbeTool, file: string, error: unknown): ProbeError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ProbeError(tool, 'spawn-failed', `could not start ${file}`, reason, { cause: error });
}

import type { ChildProcess } from 'node:child_process';
import { describeExit, spawnFailedError, spawnTool, terminate } from './child-process.js';
import {
  classifyServerExit,
  IperfServerOutput,
  type IperfServerEvent,
  type IperfServerExit,
} from './iperf-server-output.js';
import { checkHost, checkInteger, checkPort } from './option-checks.js';
import { ProbeError } from './probe-error.js';

const DEFAULT_START_TIMEOUT_MS = 5000;
const DEFAULT_RECEIVE_TIMEOUT_MS = 5000;
const MAX_TIMER_MS = 2_147_483_647;

export interface IperfServerOptions {
  readonly port: number;
  /** Address to listen on (`-B`); all addresses by default. */
  readonly bindAddress?: string;
  /**
   * The server exits when no client has come within this (`--idle-timeout`, 1..86400). It
   * also bounds the life of a server whose owner died before any client came.
   */
  readonly idleTimeoutSeconds: number;
  /**
   * A test that stops delivering data for this long ends the server (`--rcv-timeout`,
   * 100..86400000, default 5000). `--idle-timeout` alone does not cover a client that
   * vanishes mid-test: 3.12 then waits with an open connection far past the idle timeout.
   */
  readonly receiveTimeoutMs?: number;
  /** How long to wait for "Server listening"; default 5000. */
  readonly startTimeoutMs?: number;
  /** Path of the iperf3 binary; `iperf3` from PATH by default. */
  readonly executable?: string;
}

/** A running one-off iperf3 server: it serves one client, then exits by itself. */
export interface IperfServer {
  readonly port: number;
  readonly pid: number;
  /** Settles when the process has exited and been reaped; never rejects. */
  readonly exited: Promise<IperfServerExit>;
  /** Settles when a client's test begins; stays pending if none comes. */
  readonly accepted: Promise<void>;
  /** SIGTERM, then SIGKILL after a grace; resolves with the exit (`stopped` if it was alive). */
  stop(): Promise<IperfServerExit>;
}

/** The command line for a one-off server; throws ProbeInputError naming a bad option. */
export function iperfServerArgs(o: IperfServerOptions): string[] {
  const args = [
    '-s',
    '-1',
    '-p',
    String(checkPort('port', o.port)),
    '--idle-timeout',
    String(checkInteger('idleTimeoutSeconds', o.idleTimeoutSeconds, 1, 86_400)),
    '--rcv-timeout',
    String(
      checkInteger(
        'receiveTimeoutMs',
        o.receiveTimeoutMs ?? DEFAULT_RECEIVE_TIMEOUT_MS,
        100,
        86_400_000,
      ),
    ),
    '--forceflush',
  ];
  if (o.bindAddress !== undefined) args.push('-B', checkHost('bindAddress', o.bindAddress));
  return args;
}

/**
 * Starts `iperf3 -s -1` and resolves once it listens. Rejects with ProbeError `failed`
 * naming the port when it cannot listen (port in use), `timeout` when it says nothing in
 * time (it is killed), or `spawn-failed`.
 */
export function startIperfServer(o: IperfServerOptions): Promise<IperfServer> {
  const args = iperfServerArgs(o);
  const startTimeoutMs = checkInteger(
    'startTimeoutMs',
    o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    1,
    MAX_TIMER_MS,
  );
  const file = o.executable ?? 'iperf3';
  const port = o.port;

  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnTool(file, args);
    } catch (error) {
      reject(spawnFailedError('iperf3', file, error));
      return;
    }
    const output = new IperfServerOutput();
    let listening = false;
    let stopRequested = false;
    let exitReported = false;
    let startFailure: ProbeError | undefined;
    let markAccepted = (): void => {};
    const accepted = new Promise<void>((settle) => (markAccepted = settle));
    let reportExit = (_exit: IperfServerExit): void => {};
    const exited = new Promise<IperfServerExit>((settle) => (reportExit = settle));

    const server: IperfServer = {
      port,
      pid: child.pid ?? -1,
      exited,
      accepted,
      stop: () => {
        if (child.exitCode === null && child.signalCode === null) {
          stopRequested = true;
          terminate(child);
        }
        return exited;
      },
    };

    const startTimer = setTimeout(() => {
      startFailure = new ProbeError(
        'iperf3',
        'timeout',
        `server on port ${port} did not report listening within ${startTimeoutMs} ms; it was killed`,
      );
      terminate(child);
    }, startTimeoutMs);

    const onEvents = (events: IperfServerEvent[]): void => {
      for (const event of events) {
        if (event === 'accepted') {
          markAccepted();
        } else if (!startFailure && !exitReported) {
          listening = true;
          clearTimeout(startTimer);
          resolve(server);
        }
      }
    };
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => onEvents(output.feed('stdout', chunk)));
    child.stderr?.on('data', (chunk: string) => onEvents(output.feed('stderr', chunk)));

    const finish = (exit: IperfServerExit): void => {
      if (exitReported) return;
      exitReported = true;
      clearTimeout(startTimer);
      reportExit(exit);
    };
    child.on('error', (error) => {
      // After a successful spawn, 'error' only reports a failed kill; 'close' still follows.
      if (child.pid !== undefined || exitReported) return;
      finish({ reason: 'failed', exitCode: null, signal: null, detail: error.message });
      reject(spawnFailedError('iperf3', file, error));
    });
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      output.end();
      const exit = classifyServerExit(output, { exitCode, signal, stopRequested });
      const neverListened = !listening && !exitReported;
      finish(exit);
      if (neverListened) {
        const why = exit.detail ?? describeExit(exitCode, signal);
        reject(
          startFailure ??
            new ProbeError(
              'iperf3',
              'failed',
              `server could not listen on port ${port}: ${why}`,
              why,
            ),
        );
      }
    });
  });
}

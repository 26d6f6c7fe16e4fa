import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';

/** A child process of the lab in the root namespace, its output appended to a log file. */
export function spawnLogged(
  command: string,
  args: readonly string[],
  logFile: string,
  env?: NodeJS.ProcessEnv,
): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', log, log], ...(env ? { env } : {}) });
  child.on('error', () => undefined);
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The last lines of a log, for an error message that says what went wrong. */
export function logTail(logFile: string, lines = 5): string {
  try {
    const last = readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines);
    return last.length > 0 ? `; last log lines (${logFile}):\n  ${last.join('\n  ')}` : '';
  } catch {
    return '';
  }
}

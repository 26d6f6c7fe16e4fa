/**
 * The commands an end-to-end test runs (docker, kubectl, the infra scripts): each with a
 * deadline, and every one still running killed with its process group on a signal.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly output: string,
    options: { cause: unknown },
  ) {
    super(`${command} ${args.join(' ')} failed: ${output.trim().slice(0, 1500)}`, options);
  }
}

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
}

export interface CommandOptions {
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Its stderr after its stdout (`docker logs` replays a container's stderr there). */
  readonly withStderr?: boolean;
}

/**
 * Runs one command with a deadline (default 1 minute) and returns its stdout. It counts as
 * running for killRunningScripts: a `kubectl apply` a signal interrupted must not finish
 * after the clean-up looked, leaving behind what it made.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<string> {
  const running = execFileAsync(command, [...args], {
    timeout: options.timeoutMs ?? 60_000,
    env: options.env ?? process.env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const pid = running.child.pid;
  if (pid !== undefined) runningCommands.add(pid);
  try {
    const { stdout, stderr } = await running;
    return options.withStderr ? `${stdout}${stderr}` : stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new CommandError(command, args, `${stderr}${stdout}` || String(error), {
      cause: error,
    });
  } finally {
    if (pid !== undefined) runningCommands.delete(pid);
  }
}

/** Commands runCommand has running now (in this process group, so killed one by one). */
const runningCommands = new Set<number>();

/** Scripts and background commands running now, so that a signal can stop them first. */
const runningScripts = new Set<number>();

/** Kills every script, background command and command still running. */
export function killRunningScripts(): void {
  for (const pid of runningScripts) killGroup(pid);
  runningScripts.clear();
  for (const pid of runningCommands) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Ended between its exit and our bookkeeping.
    }
  }
  runningCommands.clear();
}

/**
 * Starts a command that runs until stopped (`kubectl port-forward`), in its own process
 * group; stop() kills that group, and so does killRunningScripts().
 */
export function startBackground(
  command: string,
  args: readonly string[],
): { child: ChildProcess; stop(): void } {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid;
  if (pid !== undefined) runningScripts.add(pid);
  child.once('exit', () => {
    if (pid !== undefined) runningScripts.delete(pid);
  });
  return {
    child,
    stop: () => {
      if (pid === undefined || !runningScripts.delete(pid)) return;
      killGroup(pid);
    },
  };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    // Gone between its exit and our bookkeeping: nothing left to kill.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Runs a script with its output shown as it comes (the builds and the daemon's start are
 * the slow steps; a silent minute reads as a hang). Rejects on a non-zero exit or when
 * `timeoutMs` passes (the script's process group is then killed).
 */
export function runScript(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    if (child.pid !== undefined) runningScripts.add(child.pid);
    const timer = setTimeout(() => {
      if (child.pid !== undefined) killGroup(child.pid);
      reject(
        new ScriptError(`${command} ${args.join(' ')} did not finish in ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new ScriptError(`${command} ${args.join(' ')} could not start`, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) runningScripts.delete(child.pid);
      if (code === 0) resolve();
      else reject(new ScriptError(`${command} ${args.join(' ')} exited with ${code ?? signal}`));
    });
  });
}

/** Non-empty lines of a command's output, each split on tabs. */
export const rows = (output: string): string[][] =>
  output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));

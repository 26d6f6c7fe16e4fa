import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The static 28.x CLI first in PATH here: it has `docker stack config` and talks to 20.10. */
export const DOCKER = process.env.MESHMON_DOCKER ?? 'docker';

export class DockerCommandError extends Error {
  override readonly name = 'DockerCommandError';
  constructor(
    readonly args: readonly string[],
    readonly output: string,
    options: { cause: unknown },
  ) {
    super(`docker ${args.join(' ')} failed: ${output.trim().slice(0, 1500)}`, options);
  }
}

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
}

/**
 * Runs one docker command with a deadline and returns its stdout (and its stderr after
 * it with `withStderr`: `docker logs` replays a container's stderr there).
 */
export async function docker(
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; withStderr?: boolean } = {},
): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(DOCKER, [...args], {
      timeout: options.timeoutMs ?? 60_000,
      env: options.env ?? process.env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return options.withStderr ? `${stdout}${stderr}` : stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new DockerCommandError(args, `${stderr}${stdout}` || String(error), { cause: error });
  }
}

/** Scripts running now, so that a signal can stop them before the clean-up runs. */
const runningScripts = new Set<number>();

/** Kills every script runScript started that is still running (its whole process group). */
export function killRunningScripts(): void {
  for (const pid of runningScripts) killGroup(pid);
  runningScripts.clear();
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

import { execFile } from 'node:child_process';

/** A system command failed: names the command line and what it printed. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** Runs `ip`, `tc` and friends with a timeout; rejects with the command and its stderr. */
export function runCommand(
  command: string,
  args: readonly string[],
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new CommandError(`${command} ${args.join(' ')}: ${(stderr || error.message).trim()}`),
        );
      } else {
        resolve(stdout);
      }
    });
  });
}

/** The same, for teardown: failures are returned, not thrown, so cleanup goes on. */
export async function tryCommand(command: string, args: readonly string[]): Promise<string | null> {
  try {
    await runCommand(command, args);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

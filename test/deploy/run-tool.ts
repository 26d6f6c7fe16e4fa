import { spawnSync } from 'node:child_process';

/** A command-line tool the deployment tests need is not installed, or too old. */
export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';
}

/** The tool ran and refused its input (a schema error, a bad file). */
export class ToolFailedError extends Error {
  override readonly name = 'ToolFailedError';
}

export interface ToolRun {
  readonly tool: string;
  readonly args: readonly string[];
  /** How to get the tool, quoted when it is missing. */
  readonly install: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * Runs a tool and returns its stdout. A missing tool fails loudly with how to install
 * it: these tests must not pass by skipping the check they exist for.
 */
export function runTool(run: ToolRun): string {
  const result = spawnSync(run.tool, run.args, {
    encoding: 'utf8',
    env: run.env ?? process.env,
    cwd: run.cwd,
    timeout: 60_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  const command = `${run.tool} ${run.args.join(' ')}`;
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolMissingError(
        `${run.tool} is not installed (needed for \`${command}\`). ${run.install}`,
        {
          cause: result.error,
        },
      );
    }
    throw new ToolFailedError(`\`${command}\` could not run: ${result.error.message}`, {
      cause: result.error,
    });
  }
  if (result.status !== 0) {
    throw new ToolFailedError(
      `\`${command}\` exited with ${result.status ?? result.signal}: ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

import { CommandError, runCommand, type CommandOptions } from '../e2e/commands.js';

/** Runs one kubectl command with a deadline and returns its stdout. */
export const kubectl = (args: readonly string[], options: CommandOptions = {}): Promise<string> =>
  runCommand(process.env.MESHMON_KUBECTL ?? 'kubectl', args, options);

/** kubectl's answer for an object that is not there (`Error from server (NotFound)`). */
export const isNotFound = (error: unknown): boolean =>
  error instanceof CommandError && /\(NotFound\)|not found/.test(error.output);

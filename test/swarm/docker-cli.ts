import { runCommand, type CommandOptions } from '../e2e/commands.js';

/** The static 28.x CLI first in PATH here: it has `docker stack config` and talks to 20.10. */
export const DOCKER = process.env.MESHMON_DOCKER ?? 'docker';

/** Runs one docker command with a deadline and returns its stdout. */
export const docker = (args: readonly string[], options: CommandOptions = {}): Promise<string> =>
  runCommand(DOCKER, args, options);

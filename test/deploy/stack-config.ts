import { parse } from 'yaml';
import { ToolFailedError, ToolMissingError, runTool } from './run-tool.js';

/** The part of a normalised compose file (`docker stack config` output) the tests read. */
export interface StackConfig {
  readonly services: Record<string, SwarmService>;
  readonly networks?: Record<string, { external?: boolean; name?: string; driver?: string } | null>;
  readonly volumes?: Record<string, unknown>;
  readonly configs?: Record<string, { file?: string }>;
  readonly secrets?: Record<string, { file?: string }>;
}

export interface SwarmService {
  readonly image: string;
  readonly entrypoint?: string[];
  readonly command?: string[];
  readonly environment?: Record<string, string | null>;
  readonly user?: string;
  readonly cap_add?: string[];
  readonly cap_drop?: string[];
  readonly read_only?: boolean;
  readonly healthcheck?: {
    test: string[];
    interval?: string;
    timeout?: string;
    retries?: number;
    start_period?: string;
  };
  readonly networks?: Record<string, unknown>;
  readonly ports?: { target: number; published?: number; protocol?: string; mode?: string }[];
  readonly volumes?: { type: string; source?: string; target: string; read_only?: boolean }[];
  readonly configs?: { source: string; target?: string }[];
  readonly secrets?: { source: string; target?: string }[];
  readonly deploy?: {
    mode?: string;
    replicas?: number;
    resources?: {
      limits?: { cpus?: string; memory?: string };
      reservations?: { cpus?: string; memory?: string };
    };
  };
}

export const DOCKER_INSTALL =
  'Install a Docker CLI with `docker stack config` (23.0 or newer; Debian 12 docker.io 20.10 lacks it), ' +
  'e.g. the static client from https://download.docker.com/linux/static/stable/, first on PATH. ' +
  'No daemon is needed.';

/**
 * `docker stack config` of the given files, merged in order. It runs with no MESHMON_*
 * variables, so every `${VAR:-default}` takes its default: the stack as a user deploys it.
 */
export function stackConfig(files: readonly string[], env?: NodeJS.ProcessEnv): StackConfig {
  const args = ['stack', 'config', ...files.flatMap((file) => ['-c', file])];
  const cleanEnv = env ?? { PATH: process.env.PATH, HOME: process.env.HOME };
  let stdout: string;
  try {
    stdout = runTool({ tool: 'docker', args, install: DOCKER_INSTALL, env: cleanEnv });
  } catch (error) {
    // An old CLI knows `docker stack` but not `config`, and says so in its own words.
    if (
      error instanceof ToolFailedError &&
      /unknown (shorthand )?flag|unknown command/.test(error.message)
    ) {
      throw new ToolMissingError(`this docker CLI has no \`stack config\`. ${DOCKER_INSTALL}`, {
        cause: error,
      });
    }
    throw error;
  }
  return parse(stdout) as StackConfig;
}

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Orchestrator } from '@meshmon/contracts';
import type { ServiceSpec } from '../suite-description.js';

const exec = promisify(execFile);

/** The checkout the comparison runs from: scripts and stack files are taken from here. */
export const REPO = resolve(import.meta.dirname, '../../../../..');

/** What every deployment of one block gets: the same suite, settings and machine. */
export interface BlockContext {
  readonly repo: string;
  /** Unique per block (`<run>-b<n>`): its stack, container and file names. */
  readonly name: string;
  readonly suite: readonly ServiceSpec[];
  /** Settings every service gets on top of the stack's (the scenario's, the block's cluster). */
  readonly overrides: Readonly<Record<string, string>>;
  /** The variables the stack file was read with (ports, image, node count). */
  readonly variables: Readonly<Record<string, string>>;
  readonly nodes: number;
  readonly hostname: string;
  /** Where the block's logs go. */
  readonly folder: string;
  readonly image: string;
  /** The run's own secret files by the stack's secret names, instead of swarm/'s. */
  readonly secretFiles: Readonly<Record<string, string>>;
}

/** A running deployment of the suite; stop() removes everything it started. */
export interface Deployment {
  stop(): Promise<void>;
}

/** One way to run the suite: plain processes, plain containers, Swarm, Kubernetes. */
export interface Orchestration {
  readonly name: Extract<Orchestrator, 'process' | 'container' | 'swarm' | 'kubernetes'>;
  /** Whether the daemons of this orchestrator are sampled from outside. */
  readonly hasDaemons: boolean;
  /** Null when it can run here, else why not, in words (no cluster reachable, no docker). */
  unavailable(): Promise<string | null>;
  /** Once before the first block: daemons up, images built. */
  prepare(say: (line: string) => void): Promise<void>;
  deploy(context: BlockContext): Promise<Deployment>;
  /** Once after the last block. */
  finish(say: (line: string) => void): Promise<void>;
}

export const ORCHESTRATION_NAMES = ['process', 'container', 'swarm', 'kubernetes'] as const;
export type OrchestrationName = (typeof ORCHESTRATION_NAMES)[number];

/** The instances of a service: one per node (slot 1..N) for node services, else one. */
export function instancesOf(spec: ServiceSpec, nodes: number): (number | null)[] {
  return spec.perNode ? Array.from({ length: nodes }, (_, index) => index + 1) : [null];
}

/** Runs a command to its end; a failure names the command and its stderr. */
export async function run(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<string> {
  try {
    const { stdout } = await exec(command, [...args], {
      timeout: options.timeoutMs,
      env: options.env ?? process.env,
      cwd: options.cwd ?? REPO,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failure = error as Error & { stderr?: string; code?: number | string };
    const detail = (failure.stderr ?? failure.message).trim().split('\n').slice(-3).join(' / ');
    throw new Error(`\`${command} ${args.join(' ')}\` failed (${failure.code ?? '?'}): ${detail}`, {
      cause: error,
    });
  }
}

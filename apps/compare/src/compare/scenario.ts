/**
 * A comparison's scenario: what the suite does while it is measured (nodes, algorithm,
 * probe length, background application traffic) and how it is measured (blocks,
 * windows, warm-up, sampling), the same for every orchestrator. A JSON file, checked
 * with the contracts' rules so every problem names its field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ContractRules,
  CONTRACT_VERSION,
  defineContract,
  problemsWith,
  type ContractVersion,
  type Problem,
} from '@meshmon/contracts';
import { ALGORITHM_NAMES, type AlgorithmName } from '@meshmon/scheduling';

const { IsIntBetween, IsLiteral, IsOneOf, Nested } = ContractRules;

/** Application traffic the comparison adds between nodes, as a real cluster would carry. */
export interface BackgroundTraffic {
  /** Ordered node pairs carrying a flow each (node i to node i+1, round the ring). */
  readonly flows: number;
  /** Each flow's rate, bytes per second. */
  readonly bytesPerSecond: number;
}

export interface Scenario {
  readonly v: ContractVersion;
  /** Node agents on this machine (node1..nodeN on 127.0.0.11..127.0.0.1N). */
  readonly nodes: number;
  readonly algorithm: AlgorithmName;
  readonly probeSeconds: number;
  /** The services' MESHMON_SAMPLE_SECONDS. */
  readonly sampleSeconds: number;
  readonly background: BackgroundTraffic;
  /** Blocks per orchestrator; each block is one deployment. */
  readonly blocks: number;
  /** Windows per orchestrator, split evenly over its blocks. */
  readonly windows: number;
  readonly windowSeconds: number;
  /** Discarded at the start of every block, after the suite is ready. */
  readonly warmupSeconds: number;
  /** Seed of the block order. */
  readonly seed: number;
}

export class BackgroundTrafficV1 implements BackgroundTraffic {
  @IsIntBetween(0, 16) readonly flows!: number;
  @IsIntBetween(0, 100_000_000) readonly bytesPerSecond!: number;
}

export class ScenarioV1 implements Scenario {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  // At most 9: one-machine node names and health ports have one digit (swarm/one-machine.yml).
  @IsIntBetween(2, 9) readonly nodes!: number;
  @IsOneOf(ALGORITHM_NAMES) readonly algorithm!: AlgorithmName;
  @IsIntBetween(1, 60) readonly probeSeconds!: number;
  @IsIntBetween(1, 60) readonly sampleSeconds!: number;
  @Nested(() => BackgroundTrafficV1) readonly background!: BackgroundTrafficV1;
  @IsIntBetween(1, 100) readonly blocks!: number;
  @IsIntBetween(2, 10_000) readonly windows!: number;
  @IsIntBetween(1, 86_400) readonly windowSeconds!: number;
  @IsIntBetween(0, 86_400) readonly warmupSeconds!: number;
  @IsIntBetween(0, 2 ** 31 - 1) readonly seed!: number;
}

const ScenarioContract = defineContract<Scenario>('scenario', ScenarioV1);

/** The scenario the repository ships (apps/compare/scenarios/default.json). */
export const DEFAULT_SCENARIO_PATH = fileURLToPath(
  new URL('../../scenarios/default.json', import.meta.url),
);

/** A scenario file that cannot be used, with every problem (`field`: `rule`). */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(
    readonly path: string,
    readonly problems: readonly Problem[],
  ) {
    super(`scenario ${path}: ${problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
  }
}

/** What the command line may change: the windows, not the workload. */
export interface ScenarioOverrides {
  readonly windows?: number;
  readonly windowSeconds?: number;
}

/** Checks a parsed scenario (with overrides applied); throws ScenarioError naming each field. */
export function checkScenario(value: unknown, path: string): Scenario {
  const problems = problemsWith(ScenarioContract, value);
  if (problems.length === 0) {
    const scenario = value as Scenario;
    if (scenario.windows % scenario.blocks !== 0) {
      problems.push({
        field: 'windows',
        rule: `must be a multiple of blocks (${scenario.blocks}), so every block has as many windows`,
      });
    }
    if (scenario.windowSeconds < 2 * scenario.sampleSeconds) {
      problems.push({
        field: 'windowSeconds',
        rule: `must be at least 2 x sampleSeconds (${2 * scenario.sampleSeconds}): a window needs two samples inside it`,
      });
    }
  }
  if (problems.length > 0) throw new ScenarioError(path, problems);
  return value as Scenario;
}

/** Reads and checks a scenario file, the overrides applied first. */
export function readScenario(path: string, overrides: ScenarioOverrides = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ScenarioError(path, [{ field: '(file)', rule: `cannot be read (${code})` }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(path, [
      { field: '(file)', rule: `must be JSON (${(error as Error).message})` },
    ]);
  }
  const withOverrides =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? {
          ...parsed,
          ...(overrides.windows === undefined ? {} : { windows: overrides.windows }),
          ...(overrides.windowSeconds === undefined
            ? {}
            : { windowSeconds: overrides.windowSeconds }),
        }
      : parsed;
  return checkScenario(withOverrides, path);
}

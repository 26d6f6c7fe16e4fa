import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SCENARIO_PATH, readScenario, ScenarioError } from './scenario.js';

const folder = mkdtempSync(join(tmpdir(), 'scenario-spec-'));
/** The shipped default, the base every case below changes one thing of. */
const VALID = JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')) as Record<string, unknown>;

function fileWith(content: unknown, name = 'scenario.json'): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The problems of a scenario file as `field rule` lines. */
function problemsOf(path: string, overrides = {}): string[] {
  try {
    readScenario(path, overrides);
    return [];
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return error.problems.map((problem) => `${problem.field} ${problem.rule}`);
  }
}

describe(readScenario.name, () => {
  it('scenario - the shipped default is valid', () => {
    expect(readScenario(DEFAULT_SCENARIO_PATH)).toMatchObject({ nodes: 3, windows: 30, blocks: 3 });
  });

  it('scenario - the command line overrides windows and their length', () => {
    const scenario = readScenario(fileWith(VALID), { windows: 6, windowSeconds: 10 });

    expect(scenario).toMatchObject({ windows: 6, windowSeconds: 10, nodes: 3 });
  });

  it('scenario - every bad field named with its rule', () => {
    const bad = {
      ...VALID,
      nodes: 12,
      algorithm: 'fifo',
      windowSeconds: -5,
      background: { flows: 2 },
      extra: true,
    };

    expect(problemsOf(fileWith(bad))).toEqual(
      expect.arrayContaining([
        'nodes must be an integer from 2 to 9',
        'algorithm must be one of rr, crs, cps, tts',
        'windowSeconds must be an integer from 1 to 86400',
        'background.bytesPerSecond must be an integer from 0 to 100000000',
        expect.stringMatching(/^extra /),
      ]),
    );
  });

  it('scenario - windows that do not split evenly over the blocks, and windows too short for two samples', () => {
    expect(problemsOf(fileWith(VALID), { windows: 31 })).toEqual([
      'windows must be a multiple of blocks (3), so every block has as many windows',
    ]);
    expect(problemsOf(fileWith(VALID), { windowSeconds: 3 })).toEqual([
      'windowSeconds must be at least 2 x sampleSeconds (4): a window needs two samples inside it',
    ]);
  });

  it('scenario - a missing file or one that is not JSON names the file', () => {
    expect(problemsOf(join(folder, 'missing.json'))).toEqual(['(file) cannot be read (ENOENT)']);
    expect(problemsOf(fileWith('{"v": 1,', 'broken.json'))[0]).toMatch(/^\(file\) must be JSON/);
    expect(() => readScenario(join(folder, 'missing.json'))).toThrow(
      `scenario ${join(folder, 'missing.json')}: (file) cannot be read (ENOENT)`,
    );
  });
});

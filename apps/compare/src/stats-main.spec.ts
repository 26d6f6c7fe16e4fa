import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the real command as `npm run stats` does, from the repository root. */
function stats(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', 'apps/compare/src/stats-main.ts', ...args],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      // The jest process runs with --experimental-vm-modules; the command must not inherit it.
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
}

/** The seed thesis's Table 5.1, CPU % of the one-to-one call with 2 users. */
const TABLE_5_1 = {
  groups: [
    { name: 'No orchestration', n: 30, mean: 7.946222, sd: 0.56004 },
    { name: 'Kubernetes', n: 30, mean: 0.082474915, sd: 0.006368902 },
    { name: 'Docker Swarm', n: 30, mean: 7.815679594, sd: 0.414535612 },
  ],
};

describe('stats command', () => {
  let dir: string;
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshmon-stats-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stats command - --json ends with the one-line result: the seed F and standard error', () => {
    const result = stats('anova', '--summary', file('table-5-1.json', TABLE_5_1), '--json');

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const json = JSON.parse(lines[lines.length - 1]);
    expect(json.F).toBeCloseTo(3758.55, 2);
    expect(json.seDiff).toBeCloseTo(0.1039, 4);
    expect([json.dfBetween, json.dfWithin]).toEqual([2, 87]);
    expect(json.tukey[1]).toMatchObject({ a: 'No orchestration', b: 'Docker Swarm' });
    expect(json.gamesHowell).toHaveLength(3);
  });

  it('stats command - without --json prints the tables', () => {
    const result = stats('anova', '--summary', file('table-5-1.json', TABLE_5_1));

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('One-way ANOVA (equal variances assumed)');
    expect(result.stdout).toMatch(/between\s+1216\.58\s+2\s+608\.29\s+3758\.55\s+3\.50e-85/);
    expect(result.stdout).toContain('Tukey HSD');
    expect(result.stdout).toContain('Games-Howell');
  });

  it('stats command - a usage error is one line naming the flag, exit 2', () => {
    const result = stats('anova');

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'stats: --summary is required: a JSON file {"groups": [{name, n, mean, sd}, ...]}\n',
    );
  });

  it('stats command - a bad summary file is one line naming the file and the field, exit 2', () => {
    const badSd = file('bad-sd.json', {
      groups: [TABLE_5_1.groups[0], { ...TABLE_5_1.groups[1], sd: -1 }],
    });
    const missing = join(dir, 'missing.json');
    const notJson = file('not.json', '{"groups": [');

    const results = [
      stats('anova', '--summary', badSd),
      stats('anova', '--summary', missing),
      stats('anova', '--summary', notJson),
    ];

    expect(results.map((r) => r.status)).toEqual([2, 2, 2]);
    expect(results[0].stderr).toBe(
      `stats: ${badSd}: groups[1].sd: must be a number >= 0 (got -1)\n`,
    );
    expect(results[1].stderr).toBe(`stats: --summary cannot be read: ${missing} (ENOENT)\n`);
    expect(results[2].stderr).toMatch(/^stats: --summary is not valid JSON: .*not\.json \(.+\)\n$/);
  });
});

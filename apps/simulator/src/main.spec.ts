import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the real CLI as `npm run simulate` does, from the repository root. */
function simulate(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/simulator/src/main.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    // The jest process runs with --experimental-vm-modules; the CLI must not inherit it.
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

const RESULT_KEYS = [
  'algorithm',
  'nodes',
  'pairs',
  'measurements',
  'fullCoverageSeconds',
  'floorSeconds',
  'meanWaitSeconds',
  'meanSecondsBetweenMeasurements',
  'meanConcurrentSessions',
  'pairCountStdDev',
  'conflicts',
];

describe('simulate CLI', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshmon-cli-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('simulate CLI - --list prints the algorithms one per line and exits 0', () => {
    const result = simulate('--list');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('rr\ncrs\ncps\ntts\n');
  });

  it('simulate CLI - --json prints one result object and --events-out logs every measurement as a JSON line', () => {
    const eventsOut = join(dir, 'events.jsonl');
    const result = simulate(
      '--algorithm',
      'cps',
      '--nodes',
      '4',
      '--duration',
      '600',
      '--json',
      '--events-out',
      eventsOut,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(RESULT_KEYS));
    expect(json).toEqual(
      expect.objectContaining({ algorithm: 'cps', nodes: 4, pairs: 12, conflicts: 0 }),
    );
    expect(json.measurements).toEqual(expect.any(Number));
    expect(json.measurements as number).toBeGreaterThan(0);

    const log = readFileSync(eventsOut, 'utf8').trim().split('\n');
    expect(log).toHaveLength(json.measurements as number);
    const nodes = ['n1', 'n2', 'n3', 'n4'];
    for (const line of log) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(record).sort()).toEqual([
        'endSeconds',
        'monitor',
        'sensor',
        'startSeconds',
      ]);
      expect(nodes).toContain(record.monitor);
      expect(nodes).toContain(record.sensor);
      expect(record.monitor).not.toBe(record.sensor);
      expect(record.startSeconds as number).toBeLessThan(record.endSeconds as number);
    }
  });

  it.each([
    [['--algorithm', 'nope', '--nodes', '4'], '--algorithm'],
    [['--nodes', '1', '--algorithm', 'cps'], '--nodes'],
    [['--algorithm', 'cps', '--nodes', '4', '--loss', '2'], '--loss'],
    [['--algorithm', 'cps', '--nodes', '4', '--churn', 'xx'], '--churn'],
    [
      ['--algorithm', 'cps', '--nodes', '4', '--events-out', '/nonexistent-dir/x.jsonl'],
      '--events-out',
    ],
  ])('simulate CLI - %j exits 2 naming %s without a stack trace', (args, flag) => {
    const result = simulate(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(flag);
    expect(result.stderr).toMatch(/^simulate: /);
    expect(result.stderr).not.toMatch(/^ {4}at /m);
  });
});

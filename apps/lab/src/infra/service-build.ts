import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withBuildLock } from './build-lock.js';

const run = promisify(execFile);

/**
 * How a service is started: plain `node` on the compiled output (`npm run build` rewrote
 * its `@meshmon/*` imports). A 1 MB young generation instead of Node's default 16 MB
 * keeps an idle service about 30 MB smaller; they allocate little, so the extra
 * scavenges cost nothing measurable.
 */
export function serviceCommand(repo: string, module: string): string[] {
  return [
    process.execPath,
    '--max-semi-space-size=1',
    join(repo, 'dist/apps', module, 'src/main.js'),
  ];
}

/**
 * Compiles the services when a source is newer than the build. The services run as plain
 * `node` processes: a TypeScript loader in each of 3N processes would cost memory and
 * start-up time the benchmark would then measure.
 */
export async function ensureServicesBuilt(repo: string): Promise<'fresh' | 'built'> {
  mkdirSync(join(repo, 'dist'), { recursive: true });
  // One build at a time; who waited finds the build fresh and skips its own.
  return withBuildLock(join(repo, 'dist/.build-lock'), 300_000, () => buildIfStale(repo));
}

async function buildIfStale(repo: string): Promise<'fresh' | 'built'> {
  // tsc leaves unchanged outputs alone, so a marker written after each build dates it.
  const marker = join(repo, 'dist/.services-built');
  if (existsSync(marker) && existsSync(join(repo, 'dist/apps/monitor/src/main.js'))) {
    const builtAt = statSync(marker).mtimeMs;
    if (newestSource([join(repo, 'apps'), join(repo, 'libs')], 20_000) <= builtAt) return 'fresh';
  }
  try {
    await run('npm', ['run', '--silent', 'build'], {
      cwd: repo,
      timeout: 300_000,
      env: { ...process.env, MESHMON_QUIET: '1' },
    });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? String(error);
    throw new Error(`building the services failed (npm run build):\n${output.slice(0, 2000)}`, {
      cause: error,
    });
  }
  writeFileSync(marker, new Date().toISOString());
  return 'built';
}

/** Latest modification time of a .ts file below the folders (bounded walk). */
function newestSource(folders: readonly string[], maxEntries: number): number {
  let newest = 0;
  let seen = 0;
  const stack = [...folders];
  while (stack.length > 0 && seen < maxEntries) {
    const folder = stack.pop()!;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      seen += 1;
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

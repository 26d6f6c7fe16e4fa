/**
 * The README's configuration reference lists every variable a service reads, and only
 * those: a new setting without a line there, or a line left after a setting went, fails.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The command-line tools configure themselves by flags; only the services read MESHMON_*. */
const NOT_SERVICES = new Set(['apps/lab', 'apps/simulator', 'apps/compare']);

function sources(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(join(REPO, dir))) {
    const path = `${dir}/${name}`;
    if (NOT_SERVICES.has(path) || name === 'testing') continue;
    if (statSync(join(REPO, path)).isDirectory()) sources(path, found);
    else if (name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(name)) found.push(path);
  }
  return found;
}

/**
 * Quoted whole names only: `MESHMON_<C>_RESULTS` stream names are built, never quoted.
 * A secret's `_FILE` variable is built by readSettings, so it counts for each secretSetting.
 */
function variablesReadBy(paths: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    const text = readFileSync(join(REPO, path), 'utf8');
    for (const match of text.matchAll(/['"`](MESHMON_[A-Z0-9_]*[A-Z0-9])['"`]/g)) {
      names.add(match[1]);
    }
    // A secret may also come from the file its <variable>_FILE names (readSettings).
    for (const match of text.matchAll(/secretSetting\(\s*['"`](MESHMON_[A-Z0-9_]+)['"`]/g)) {
      names.add(`${match[1]}_FILE`);
    }
  }
  return names;
}

function variablesInReference(): Set<string> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('## Configuration reference');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return new Set([...section.matchAll(/^\| `(MESHMON_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
}

describe('README configuration reference', () => {
  it('configuration reference - lists every variable the services read, and no other', () => {
    const read = variablesReadBy([...sources('apps'), ...sources('libs')]);
    const documented = variablesInReference();

    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
    expect([...documented].filter((name) => !read.has(name)).sort()).toEqual([]);
    expect(documented.size).toBeGreaterThan(40);
  });

  it('configuration reference - each variable is named in one place in the code, its setting', () => {
    const places = new Map<string, string[]>();
    for (const path of [...sources('apps'), ...sources('libs')]) {
      const text = readFileSync(join(REPO, path), 'utf8');
      for (const match of text.matchAll(/['"`](MESHMON_[A-Z0-9_]*[A-Z0-9])['"`]/g)) {
        places.set(match[1], [...(places.get(match[1]) ?? []), path]);
      }
    }

    const named = [...places].filter(([, paths]) => paths.length > 1);
    expect(named.map(([variable, paths]) => `${variable}: ${paths.join(', ')}`)).toEqual([]);
    expect(places.size).toBeGreaterThan(40);
  });
});

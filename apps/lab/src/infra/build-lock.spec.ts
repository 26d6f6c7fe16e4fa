import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withBuildLock } from './build-lock.js';

describe(withBuildLock.name, () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'meshmon-lock-'));
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('build lock - two holders run one after the other, never together', async () => {
    const lock = join(folder, 'lock');
    const log: string[] = [];
    const holder = (name: string) =>
      withBuildLock(lock, 5000, async () => {
        log.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        log.push(`${name} out`);
      });

    await Promise.all([holder('a'), holder('b')]);

    expect([
      ['a in', 'a out', 'b in', 'b out'],
      ['b in', 'b out', 'a in', 'a out'],
    ]).toContainEqual(log);
  });

  it('build lock - a lock left by a process that is gone is taken over', async () => {
    const lock = join(folder, 'lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), '999999999');

    await expect(withBuildLock(lock, 2000, async () => 'built')).resolves.toBe('built');
  });

  it('build lock - gives up after the timeout while a live process holds it', async () => {
    const lock = join(folder, 'lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));

    await expect(withBuildLock(lock, 600, async () => 'built')).rejects.toThrow(
      /another build holds/,
    );
  });
});

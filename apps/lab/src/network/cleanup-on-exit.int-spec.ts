import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from './testing/network-helpers.js';

// Real child processes (tsx) that register a cleanup and end in each possible way.

jest.setTimeout(30_000);

const CHILD = join(import.meta.dirname, 'testing', 'exit-cleanup-child.ts');
const REPO = join(import.meta.dirname, '..', '..', '..', '..');

async function runChild(
  mode: string,
  signal?: NodeJS.Signals,
): Promise<{ code: number | null; marker: string }> {
  const marker = join(tempFolder(), 'marker');
  // Node itself with tsx's loader, not the tsx CLI: that one is a second process in between,
  // which relays SIGINT and SIGTERM but not SIGHUP.
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, marker, mode], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    }),
  );
  // Modes that end by themselves may be gone before the test looks.
  await Promise.race([ready, exit]);
  if (signal) {
    expect(output).toContain('ready');
    child.kill(signal);
  }
  const code = await exit;
  return { code, marker: existsSync(marker) ? readFileSync(marker, 'utf8') : '' };
}

describe('cleanup on exit (real processes)', () => {
  it.each<[string, string, NodeJS.Signals | undefined, number]>([
    ['Ctrl-C', 'wait', 'SIGINT', 130],
    ['SIGTERM', 'wait', 'SIGTERM', 143],
    ['SIGHUP', 'wait', 'SIGHUP', 129],
    ['an uncaught exception', 'throw', undefined, 1],
    ['an unhandled rejection', 'reject', undefined, 1],
    ['the normal end', 'normal', undefined, 4],
  ])(
    'exit cleanup - %s runs the cleanup once and exits with the right code',
    async (_, mode, signal, code) => {
      const outcome = await runChild(mode, signal);

      expect(outcome).toEqual({ code, marker: 'cleaned\n' });
    },
  );
});

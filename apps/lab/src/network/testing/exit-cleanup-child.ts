// A process for cleanup-on-exit.int-spec: registers one cleanup that appends to a file,
// says "ready", then ends the way argv[3] asks.
import { appendFileSync } from 'node:fs';
import { onExitCleanup } from '../cleanup-on-exit.js';

const [marker, mode] = process.argv.slice(2);
onExitCleanup('marker', async () => {
  await new Promise((resolve) => setTimeout(resolve, 100));
  appendFileSync(marker, 'cleaned\n');
});
process.stdout.write('ready\n');
if (mode === 'wait') setTimeout(() => undefined, 30_000);
if (mode === 'throw')
  setTimeout(() => {
    throw new Error('boom');
  }, 10);
if (mode === 'reject') void Promise.reject(new Error('nope'));
if (mode === 'normal') process.exitCode = 4;

// tsc copies only what it compiles: the gateway's dashboard (HTML, CSS, browser JS) is
// copied beside the compiled gateway so that `dist/apps/gateway` serves it as the source does.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');
const assets = ['apps/gateway/src/dashboard'];

for (const dir of assets) {
  const from = join(repo, dir);
  if (!existsSync(from)) continue;
  cpSync(from, join(repo, 'dist', dir), { recursive: true });
}

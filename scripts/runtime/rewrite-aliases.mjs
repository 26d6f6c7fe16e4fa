// Runs after `tsc -p tsconfig.build.json` (npm run build): rewrites every `@meshmon/<lib>`
// import in dist/ to a relative path, so the compiled services run under plain `node`
// with nothing else loaded.
//
// tsc leaves those imports as they are (tsconfig `paths` only tell the type checker where
// to look) and there is no node_modules/@meshmon package. A resolve hook would also do,
// but Node runs hooks on a thread of their own, about 12 MB per process, and the services
// must stay small (issue 3: under 120 MB each). Idempotent: rewritten files have no
// `@meshmon/` left.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { URL, fileURLToPath } from 'node:url';

const dist = process.argv[2] ?? fileURLToPath(new URL('../../dist/', import.meta.url));
// from '...' / import('...') / import '...', with @meshmon/<lib>[/<sub>]
const SPECIFIER =
  /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])@meshmon\/([a-z0-9-]+)(\/[^'"]+)?\2/g;
const MAX_FILES = 20_000;

let files = 0;
let rewritten = 0;
const stack = ['apps', 'libs'].map((folder) => join(dist, folder));
while (stack.length > 0 && files < MAX_FILES) {
  const folder = stack.pop();
  let entries;
  try {
    entries = readdirSync(folder);
  } catch {
    continue;
  }
  for (const name of entries) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      stack.push(path);
      continue;
    }
    if (!name.endsWith('.js')) continue;
    files += 1;
    const source = readFileSync(path, 'utf8');
    const output = source.replace(SPECIFIER, (_match, keyword, quote, lib, sub) => {
      const target = join(dist, 'libs', lib, 'src', sub ? withJs(sub.slice(1)) : 'index.js');
      let specifier = relative(dirname(path), target);
      if (!specifier.startsWith('.')) specifier = `./${specifier}`;
      return `${keyword}${quote}${specifier}${quote}`;
    });
    if (output !== source) {
      writeFileSync(path, output);
      rewritten += 1;
    }
  }
}
if (process.env.MESHMON_QUIET !== '1') {
  console.log(`rewrite-aliases: ${rewritten} of ${files} files in ${dist}`);
}

function withJs(path) {
  return /\.[cm]?js$/.test(path) ? path : `${path}.js`;
}

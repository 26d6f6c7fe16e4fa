// Lets plain `node` run the compiled services:
//
//   npm run build
//   node --import ./scripts/runtime/alias-hook.mjs dist/apps/<app>/src/main.js
//
// tsc leaves `@meshmon/<lib>` imports as they are (tsconfig `paths` only tell the type
// checker where to look), and there is no node_modules/@meshmon package for Node to find.
// This module registers a resolve hook that maps
//   @meshmon/<lib>        -> <dist>/libs/<lib>/src/index.js
//   @meshmon/<lib>/<sub>  -> <dist>/libs/<lib>/src/<sub>   (".js" added when <sub> has no extension)
// where <dist> is the repository's dist/ next to this file, or MESHMON_DIST_DIR.
//
// The same file is both the registrar (loaded by --import on the main thread) and the
// hooks module (loaded again by Node on its hooks thread, with `?hooks` in the URL so it
// does not register itself a second time).
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

const PREFIX = '@meshmon/';
// Library folder names under libs/: lower-case words joined by dashes.
const LIB_NAME = /^[a-z0-9][a-z0-9-]*$/;

const self = new URL(import.meta.url);
if (!self.searchParams.has('hooks')) {
  const distDir = process.env.MESHMON_DIST_DIR
    ? resolvePath(process.env.MESHMON_DIST_DIR)
    : fileURLToPath(new URL('../../dist/', self));
  self.search = '?hooks';
  register(self.href, { data: { distDir } });
}

let libsUrl;

/** Receives `data` from register(), on the hooks thread. */
export function initialize({ distDir }) {
  libsUrl = pathToFileURL(`${distDir}/libs/`);
}

export async function resolve(specifier, context, nextResolve) {
  if (!specifier.startsWith(PREFIX)) return nextResolve(specifier, context);

  const rest = specifier.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  const lib = slash < 0 ? rest : rest.slice(0, slash);
  if (!LIB_NAME.test(lib)) return nextResolve(specifier, context);

  const target = new URL(`${lib}/src/${subpath(slash < 0 ? '' : rest.slice(slash + 1))}`, libsUrl);
  if (!existsSync(target)) {
    // Node's own message would name only the file; say what is probably wrong.
    const error = new Error(
      `Cannot find ${fileURLToPath(target)} for "${specifier}" imported from ` +
        `${context.parentURL ?? 'the command line'}: is libs/${lib} compiled? Run npm run build.`,
    );
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return nextResolve(target.href, context);
}

/** `` -> index.js, `core/machine.js` as is, `core/machine` -> core/machine.js. */
function subpath(sub) {
  if (sub === '') return 'index.js';
  return /\.(m?js|cjs|json)$/.test(sub) ? sub : `${sub}.js`;
}

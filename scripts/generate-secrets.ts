// `npm run secrets`: the secrets the Swarm stack and the Kubernetes kustomization read, in
// swarm/secrets/ and k8s/base/secrets/ (folders 0700, files 0600, ignored by git). A file
// already there is kept, so running it again changes nothing and a secret of your own
// (a token you chose) stays. Prints where they are, never a secret.
//
//   npm run secrets                 # both
//   npm run secrets -- --for swarm  # or k8s
//   npm run secrets -- --for local  # infra/local's servers (.infra/credentials), which
//                                   # infra/local/start.sh makes itself; with a developer
//                                   # user that may do everything, for tests and tools
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCredentials } from '@meshmon/service-runtime/credentials/credentials-folder.js';

const REPO = resolve(import.meta.dirname, '..');
const TARGETS = {
  swarm: join(REPO, 'swarm', 'secrets'),
  k8s: join(REPO, 'k8s', 'base', 'secrets'),
  local: join(process.env.MESHMON_INFRA_DIR ?? join(REPO, '.infra'), 'credentials'),
};
/** What `npm run secrets` makes without --for: the deployments' secrets. */
const DEPLOYMENTS = ['swarm', 'k8s'];

let chosen: string[];
try {
  const { values } = parseArgs({
    options: { for: { type: 'string', multiple: true } },
    strict: true,
  });
  chosen = values.for ?? DEPLOYMENTS;
} catch (error) {
  console.error(
    `secrets: ${(error as Error).message}\nusage: npm run secrets -- [--for swarm|k8s|local]`,
  );
  process.exit(2);
}
const unknown = chosen.filter((name) => !(name in TARGETS));
if (unknown.length > 0) {
  console.error(`secrets: --for must be swarm, k8s or local (got "${unknown.join('", "')}")`);
  process.exit(2);
}
for (const name of chosen) {
  const credentials = ensureCredentials(TARGETS[name as keyof typeof TARGETS], {
    developer: name === 'local',
  });
  console.log(
    `secrets: ${name}: ${credentials.folder} (gateway token: ${credentials.gatewayTokenFile})`,
  );
}

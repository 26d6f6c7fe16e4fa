import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import {
  ensureCredentials,
  type Credentials,
} from '@meshmon/service-runtime/credentials/credentials-folder.js';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { splitImage, type K8sE2eSettings } from './k8s-settings.js';

/** Marks everything the test deploys, its namespace included: only that is ever deleted. */
export const E2E_LABEL = { key: 'meshmon.io/e2e', value: 'true' } as const;

/**
 * Writes the test's kustomization into `dir` (which must lie inside the checkout: kustomize
 * takes a base by relative path only): the chosen overlay of k8s/ unchanged but for its
 * namespace, the image the cluster can pull, this run's own secrets (gateway token, Redis
 * password and users) in place of the shipped ones, and the e2e label on every object.
 * Returns the folder, for `kubectl apply -k`, and the secrets, for the checks.
 */
export function writeE2eOverlay(
  dir: string,
  repo: string,
  settings: K8sE2eSettings,
): { dir: string; credentials: Credentials } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const credentials = ensureCredentials(dir);
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: settings.namespace,
    resources: [relative(dir, join(repo, 'k8s', 'overlays', settings.overlay))],
    labels: [{ pairs: { [E2E_LABEL.key]: E2E_LABEL.value }, includeSelectors: false }],
    images: [{ name: 'meshmon', ...splitImage(settings.image) }],
    secretGenerator: [
      {
        name: 'meshmon-secrets',
        behavior: 'replace',
        files: [
          credentials.gatewayTokenFile,
          credentials.redisPasswordFile,
          credentials.redisAclFile,
        ].map((file) => relative(dir, file)),
      },
    ],
  };
  writeFileSync(join(dir, 'kustomization.yaml'), stringify(kustomization));
  return { dir, credentials };
}

import {
  choiceSetting,
  optional,
  readSettings,
  textSetting,
  type Env,
  type SettingsOf,
} from '@meshmon/service-runtime';

/**
 * What `npm run test:k8s` can be told, from the environment (read like every service's
 * settings: each problem names the variable and the rule).
 */
export const K8S_E2E_SETTINGS = {
  /** The only kubectl context the test may deploy into; unset: it deploys nowhere. */
  context: optional(
    textSetting('MESHMON_K8S_CONTEXT', {
      pattern: /^[\x21-\x7e]{1,253}$/,
      rule: 'must be a kubectl context name (printable, no spaces)',
    }),
  ),
  /** The suite's image as the cluster's nodes can pull it (a registry, or loaded into kind). */
  image: textSetting('MESHMON_K8S_IMAGE', {
    default: 'meshmon:latest',
    pattern: /^[a-z0-9][a-z0-9._\-/:@]{0,254}$/,
    rule: 'must be an image reference (lower-case letters, digits and . _ - / : @)',
  }),
  /** Created for the test and deleted after it; a namespace the test did not create is left alone. */
  namespace: textSetting('MESHMON_K8S_NAMESPACE', {
    default: 'meshmon-e2e',
    pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    rule: 'must be a DNS-1123 label (at most 63 lower-case letters, digits and -)',
  }),
  /** Which of k8s/overlays to deploy: the node agents on the host network or on the pod network. */
  overlay: choiceSetting('MESHMON_K8S_OVERLAY', {
    default: 'host-network',
    choices: ['host-network', 'pod-network'],
  }),
} as const;

export type K8sE2eSettings = SettingsOf<typeof K8S_E2E_SETTINGS>;

export class K8sSettingsError extends Error {
  override readonly name = 'K8sSettingsError';
}

/** The test's settings, or every problem at once. */
export function readK8sE2eSettings(env: Env): K8sE2eSettings {
  const { values, problems } = readSettings(env, K8S_E2E_SETTINGS);
  if (problems.length > 0) {
    throw new K8sSettingsError(
      problems.map((problem) => `${problem.field} ${problem.rule}`).join('; '),
    );
  }
  return values;
}

/** An image reference as kustomize's `images` entry wants it: name, then a tag or a digest. */
export function splitImage(image: string): { newName: string; newTag?: string; digest?: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { newName: image.slice(0, at), digest: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  // A colon before the last slash is a registry's port, not a tag.
  return colon > image.lastIndexOf('/')
    ? { newName: image.slice(0, colon), newTag: image.slice(colon + 1) }
    : { newName: image };
}

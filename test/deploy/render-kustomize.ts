import { parseAllDocuments } from 'yaml';
import { ensureCredentials } from '@meshmon/service-runtime/credentials/credentials-folder.js';
import { K8S_SECRETS } from './deploy-paths.js';
import { runTool } from './run-tool.js';

/** One rendered Kubernetes object, as plain data. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string } & Record<
    string,
    unknown
  >;
  readonly [field: string]: unknown;
}

export const KUBECTL_INSTALL =
  'Install kubectl 1.27 or newer (it embeds kustomize), e.g. from the Kubernetes apt repository ' +
  '(https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/), and put it on PATH.';

/**
 * `kubectl kustomize <dir>` split into objects; a document without a kind is an error.
 * The shipped kustomization reads secrets `npm run secrets` generates: they are made first,
 * as a user makes them before `kubectl apply -k k8s/` (a file already there is kept).
 */
export function renderKustomize(dir: string, env?: NodeJS.ProcessEnv): K8sObject[] {
  ensureCredentials(K8S_SECRETS);
  const stdout = runTool({
    tool: 'kubectl',
    args: ['kustomize', dir],
    install: KUBECTL_INSTALL,
    env,
  });
  return parseAllDocuments(stdout).map((doc, index) => {
    if (doc.errors.length > 0)
      throw new Error(`${dir}: document ${index}: ${doc.errors[0].message}`);
    const object = doc.toJS() as K8sObject | null;
    if (!object?.kind || !object.apiVersion || !object.metadata?.name) {
      throw new Error(`${dir}: document ${index} has no kind, apiVersion or metadata.name`);
    }
    return object;
  });
}

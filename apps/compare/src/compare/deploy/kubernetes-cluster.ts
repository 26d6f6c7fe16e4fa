import { run } from './deployment.js';

/**
 * Whether kubectl reaches a cluster: null when its current context's API server answers,
 * else why not, in words. The comparison and `npm run test:k8s` both ask this first.
 */
export async function kubernetesUnreachable(): Promise<string | null> {
  const kubectl = process.env.MESHMON_KUBECTL ?? 'kubectl';
  const context = await run(kubectl, ['config', 'current-context'], { timeoutMs: 10_000 }).then(
    (out) => out.trim(),
    () => null,
  );
  if (context === null || context === '') {
    return 'no cluster reachable: kubectl is missing or has no current context';
  }
  const answers = await run(kubectl, ['version', '--request-timeout=5s'], {
    timeoutMs: 15_000,
  }).then(
    () => true,
    () => false,
  );
  return answers
    ? null
    : `no cluster reachable: the API server of context ${context} does not answer`;
}

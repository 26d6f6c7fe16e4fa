import { run, type Deployment, type Orchestration } from './deployment.js';

/**
 * Kubernetes: only where kubectl has a context whose API server answers. This machine
 * has none (a one-machine cluster cannot run here), so the comparison says so and goes
 * on without it. Deploying the k8s/ kustomization for a comparison is not written yet:
 * with a cluster reachable, it says that instead of pretending.
 */
export class KubernetesOrchestration implements Orchestration {
  readonly name = 'kubernetes' as const;
  readonly hasDaemons = true;

  async unavailable(): Promise<string | null> {
    const context = await run('kubectl', ['config', 'current-context'], { timeoutMs: 10_000 }).then(
      (out) => out.trim(),
      () => null,
    );
    if (context === null || context === '') {
      return 'no cluster reachable: kubectl is missing or has no current context';
    }
    const answers = await run('kubectl', ['version', '--request-timeout=5s'], {
      timeoutMs: 15_000,
    }).then(
      () => true,
      () => false,
    );
    if (!answers)
      return `no cluster reachable: the API server of context ${context} does not answer`;
    return `cluster ${context} is reachable, but deploying k8s/ for a comparison is not implemented yet`;
  }

  async prepare(): Promise<void> {}

  deploy(): Promise<Deployment> {
    throw new Error('kubernetes: not available (see unavailable())');
  }

  async finish(): Promise<void> {}
}

import type { Deployment, Orchestration } from './deployment.js';
import { kubernetesUnreachable } from './kubernetes-cluster.js';

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
    return (
      (await kubernetesUnreachable()) ??
      'a cluster is reachable, but deploying k8s/ for a comparison is not implemented yet (npm run test:k8s deploys it for the end-to-end checks)'
    );
  }

  async prepare(): Promise<void> {}

  deploy(): Promise<Deployment> {
    throw new Error('kubernetes: not available (see unavailable())');
  }

  async finish(): Promise<void> {}
}

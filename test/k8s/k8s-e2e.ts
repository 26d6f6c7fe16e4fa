/**
 * The same end-to-end checks as `npm run test:swarm`, on Kubernetes (`npm run test:k8s`):
 * through kubectl's current context, the k8s/ overlay applied into a namespace of the
 * test's own, every workload rolled out, CPS started through the gateway, a stored result
 * for every ordered pair of the cluster's node agents in InfluxDB, tagged kubernetes, no
 * conflict among them, and the namespace deleted again (on failure and signals too).
 *
 * It needs a cluster: where kubectl has no context or its API server does not answer (as
 * on the machine CI runs on), it says so and exits 0 having checked nothing. Settings:
 * MESHMON_K8S_CONTEXT (the one kubectl context it may deploy into; unset: none),
 * MESHMON_K8S_IMAGE (the suite's image as the nodes can pull it, default meshmon:latest),
 * MESHMON_K8S_NAMESPACE (default meshmon-e2e), MESHMON_K8S_OVERLAY (host-network or
 * pod-network). See the README, "Kubernetes end to end".
 */
import { reportAs, say } from '../e2e/e2e-report.js';
import { runE2e } from '../e2e/run-e2e.js';
import { KubernetesE2e } from './k8s-orchestrator.js';
import { K8sSettingsError, readK8sE2eSettings } from './k8s-settings.js';

reportAs('k8s-e2e');
try {
  await runE2e('k8s-e2e', new KubernetesE2e(readK8sE2eSettings(process.env)));
} catch (error) {
  if (!(error instanceof K8sSettingsError)) throw error;
  say(`FAIL: ${error.message}`);
  process.exitCode = 2;
}

import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kubernetesUnreachable } from '../../apps/compare/src/compare/deploy/kubernetes-cluster.js';
import { nodeNameFromHost } from '@meshmon/contracts';
import { ensureCredentials } from '@meshmon/service-runtime/credentials/credentials-folder.js';
import { CommandError, killRunningScripts } from '../e2e/commands.js';
import { E2eFailure, MINUTE, figure, minutes, say, secondsBetween } from '../e2e/e2e-report.js';
import { GatewayClient } from '../e2e/gateway-client.js';
import type { E2eDeployment, E2eOrchestrator } from '../e2e/orchestrator.js';
import { E2E_LABEL, writeE2eOverlay } from './e2e-overlay.js';
import type { K8sE2eSettings } from './k8s-settings.js';
import { isNotFound, kubectl } from './kubectl.js';
import { portForward } from './port-forward.js';

const REPO = resolve(import.meta.dirname, '../..');
/** Every workload ready (image pulls included) within this; a quiet 3-node cluster needs 1-2 min. */
const READY_BOUND_MS = 6 * MINUTE;
const AGENT_SELECTOR = 'app.kubernetes.io/name=meshmon-agent';

/**
 * Kubernetes through kubectl's current context, any cluster: the chosen overlay of k8s/
 * applied into a namespace of the test's own (MESHMON_K8S_NAMESPACE, labelled as the
 * test's), every workload rolled out, the gateway and InfluxDB reached through
 * `kubectl port-forward`, and the namespace deleted at the end. Nothing outside that
 * namespace is changed, and a namespace without the test's label is never touched.
 */
export class KubernetesE2e implements E2eOrchestrator {
  readonly name = 'kubernetes' as const;
  private readonly forwards: { stop(): void }[] = [];

  constructor(private readonly settings: K8sE2eSettings) {}

  /**
   * A cluster kubectl reaches is not enough: the test deploys only into the context it was
   * told (MESHMON_K8S_CONTEXT), so `bash scripts/test.sh` on a machine whose kubectl points
   * at a shared cluster never installs anything there unasked.
   */
  async unavailable(): Promise<string | null> {
    const unreachable = await kubernetesUnreachable();
    if (unreachable !== null) return unreachable;
    const context = (await kubectl(['config', 'current-context'])).trim();
    if (this.settings.context === null) {
      return `kubectl's current context is ${context}; set MESHMON_K8S_CONTEXT=${context} to deploy the test there`;
    }
    if (this.settings.context !== context) {
      return `MESHMON_K8S_CONTEXT is ${this.settings.context} but kubectl's current context is ${context}; nothing deployed`;
    }
    return null;
  }

  async prepare(): Promise<void> {
    const context = (await kubectl(['config', 'current-context'])).trim();
    const { namespace, overlay, image } = this.settings;
    figure(
      'cluster',
      `context ${context}, overlay ${overlay}, image ${image}, namespace ${namespace}`,
    );
    // What a killed earlier run left behind goes first; someone else's namespace stays.
    if (await this.namespaceIsOurs()) {
      say(`removing namespace ${namespace}, left by an earlier run`);
      await this.deleteNamespace();
    }
    if (overlay === 'host-network') {
      // Host-network agents bind the same node ports in every namespace.
      const listed = await kubectl([
        'get',
        'daemonsets',
        '--all-namespaces',
        '-l',
        'app.kubernetes.io/part-of=meshmon',
        '-o',
        'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}',
      ]).catch((error: unknown) => {
        // A user whose rights end at namespaces cannot look: say so and go on.
        if (!(error instanceof CommandError && /Forbidden/.test(error.output))) throw error;
        say(
          'cannot list daemonsets in every namespace (Forbidden): not checked whether Meshmon agents already run',
        );
        return '';
      });
      const others = listed
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith(`${namespace}/`));
      if (others.length > 0) {
        throw new E2eFailure(
          `Meshmon's node agents already run on this cluster (${others.join(', ')}) and hold the host ports the test's agents need; remove them or set MESHMON_K8S_OVERLAY=pod-network`,
        );
      }
    }
  }

  async deploy(): Promise<E2eDeployment> {
    const { namespace } = this.settings;

    // The overlay replaces the shipped Secret, but kustomize still reads the base's file.
    ensureCredentials(join(REPO, 'k8s', 'base', 'secrets'));
    const { dir, credentials } = writeE2eOverlay(
      join(REPO, '.tmp', 'k8s-e2e'),
      REPO,
      this.settings,
    );
    const appliedAt = Date.now();
    await kubectl(['apply', '-k', dir], { timeoutMs: 2 * MINUTE });
    figure('kubectl apply', `${secondsBetween(appliedAt, Date.now())} s`);

    const workloads = (
      await kubectl(['-n', namespace, 'get', 'daemonsets,deployments,statefulsets', '-o', 'name'])
    )
      .split('\n')
      .filter((line) => line.trim() !== '');
    const deadline = appliedAt + READY_BOUND_MS;
    for (const workload of workloads) {
      const left = Math.max(1, Math.round((deadline - Date.now()) / 1000));
      try {
        await kubectl(['-n', namespace, 'rollout', 'status', workload, `--timeout=${left}s`], {
          timeoutMs: (left + 30) * 1000,
        });
      } catch (error) {
        throw new E2eFailure(
          `${workload} was not rolled out within ${minutes(READY_BOUND_MS)} of the apply: ${(error as Error).message}`,
        );
      }
    }
    figure(
      'apply to all ready',
      `${secondsBetween(appliedAt, Date.now())} s (${workloads.length} workloads: ${workloads.join(', ')})`,
    );

    const nodes = (
      await kubectl([
        '-n',
        namespace,
        'get',
        'pods',
        '-l',
        AGENT_SELECTOR,
        '-o',
        'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}',
      ])
    )
      .split('\n')
      .filter((line) => line.trim() !== '')
      // As the agents name themselves: a host name's dots become `_` (MESHMON_NODE).
      .map(nodeNameFromHost)
      .sort();
    figure('node agents', `${nodes.length} (${nodes.join(', ')})`);
    const gateway = await portForward(namespace, 'gateway', 8080);
    this.forwards.push(gateway);
    const influx = await portForward(namespace, 'influxdb', 8086);
    this.forwards.push(influx);
    return {
      gateway: new GatewayClient(gateway.url, credentials.gatewayToken),
      influxUrl: influx.url,
      database: 'meshmon',
      influxReader: credentials.influxReader,
      influxWriter: credentials.influxWriter,
      nodes,
    };
  }

  async diagnose(): Promise<string[]> {
    const { namespace } = this.settings;
    const show = async (title: string, args: string[]): Promise<string> => {
      const text = await kubectl(['-n', namespace, ...args], { withStderr: true }).catch(
        (error: Error) => error.message,
      );
      return `---- ${title}\n${text}`;
    };
    return Promise.all([
      show('pods', ['get', 'pods', '-o', 'wide']),
      show('node agents, last log lines', [
        'logs',
        '-l',
        AGENT_SELECTOR,
        '--all-containers',
        '--prefix',
        '--tail=20',
      ]),
      show('result sink, last log lines', ['logs', 'deployment/result-sink', '--tail=20']),
      show('events', ['get', 'events', '--sort-by=.lastTimestamp']),
    ]);
  }

  async cleanUp(): Promise<void> {
    for (const forward of this.forwards.splice(0)) forward.stop();
    // The overlay holds this run's token: it goes with the deployment.
    rmSync(join(REPO, '.tmp', 'k8s-e2e'), { recursive: true, force: true });
    if (await this.namespaceIsOurs()) await this.deleteNamespace();
  }

  interrupt(): void {
    killRunningScripts();
  }

  /** Whether the namespace exists and carries the test's label (false when it is absent). */
  private async namespaceIsOurs(): Promise<boolean> {
    const { namespace } = this.settings;
    let label: string;
    try {
      label = await kubectl([
        'get',
        'namespace',
        namespace,
        '-o',
        `jsonpath={.metadata.labels.${E2E_LABEL.key.replaceAll('.', '\\.')}}`,
      ]);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    if (label.trim() !== E2E_LABEL.value) {
      throw new E2eFailure(
        `namespace ${namespace} exists and was not made by this test (no ${E2E_LABEL.key} label): set MESHMON_K8S_NAMESPACE to another name`,
      );
    }
    return true;
  }

  private async deleteNamespace(): Promise<void> {
    await kubectl(
      ['delete', 'namespace', this.settings.namespace, '--wait=true', '--timeout=180s'],
      {
        timeoutMs: 4 * MINUTE,
      },
    ).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }
}

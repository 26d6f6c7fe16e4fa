import type {
  DeploymentDescription,
  EnvValue,
  HealthDescription,
  MountDescription,
} from './deployment-description.js';
import { k8sBytes, k8sMillicores, quantity } from './quantities.js';
import type { K8sObject } from './render-kustomize.js';

/* Just enough of the pod API for the description; the schema tests check the rest. */
interface Probe {
  httpGet?: { path?: string; port: number | string };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}
interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  capabilities?: { add?: string[]; drop?: string[] };
  readOnlyRootFilesystem?: boolean;
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  hostPath?: { path: string };
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: { medium?: string; sizeLimit?: string };
}
export interface PodSpec {
  hostNetwork?: boolean;
  securityContext?: SecurityContext;
  volumes?: Volume[];
  containers: Container[];
}
export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: { metadata: { name: string } }[];
  };
}

export const WORKLOAD_KINDS = ['DaemonSet', 'Deployment', 'StatefulSet'];

export function workloads(objects: readonly K8sObject[]): Workload[] {
  return objects.filter((o): o is Workload => WORKLOAD_KINDS.includes(o.kind));
}

/** One description per container, keyed by container name (= the Swarm service name). */
export function describeKubernetes(
  objects: readonly K8sObject[],
): Map<string, DeploymentDescription> {
  const byKindName = new Map(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
  const data = (kind: string, name: string): Record<string, string> => {
    const object = byKindName.get(`${kind}/${name}`);
    if (!object) throw new Error(`no ${kind} named ${name}`);
    if (kind === 'Secret') {
      const encoded = (object.data ?? {}) as Record<string, string>;
      return Object.fromEntries(
        Object.entries(encoded).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
    }
    return (object.data ?? {}) as Record<string, string>;
  };

  const descriptions = new Map<string, DeploymentDescription>();
  for (const workload of workloads(objects)) {
    const pod = workload.spec.template.spec;
    for (const container of pod.containers) {
      if (descriptions.has(container.name))
        throw new Error(`two containers named ${container.name}`);
      const security = { ...pod.securityContext, ...container.securityContext };
      descriptions.set(container.name, {
        service: container.name,
        image: container.image,
        entrypoint: container.command ?? null,
        command: container.args ?? null,
        env: environment(container, data),
        ports: (container.ports ?? [])
          .map((p) => `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`)
          .sort(),
        health: health(container),
        resources: {
          cpuRequestMillicores: quantity(container.resources?.requests?.cpu, k8sMillicores),
          cpuLimitMillicores: quantity(container.resources?.limits?.cpu, k8sMillicores),
          memoryRequestBytes: quantity(container.resources?.requests?.memory, k8sBytes),
          memoryLimitBytes: quantity(container.resources?.limits?.memory, k8sBytes),
        },
        replication:
          workload.kind === 'DaemonSet' ? 'global' : `replicated:${workload.spec.replicas ?? 1}`,
        hostNetwork: pod.hostNetwork === true,
        user:
          security.runAsUser === undefined
            ? null
            : [security.runAsUser, security.runAsGroup].filter((id) => id !== undefined).join(':'),
        capabilities: {
          add: [...(security.capabilities?.add ?? [])].sort(),
          drop: [...(security.capabilities?.drop ?? [])].sort(),
        },
        readOnlyRoot: security.readOnlyRootFilesystem === true,
        mounts: mounts(workload, container, data),
      });
    }
  }
  return descriptions;
}

type DataOf = (kind: string, name: string) => Record<string, string>;

function environment(container: Container, data: DataOf): Record<string, EnvValue> {
  const env: Record<string, EnvValue> = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef)
      throw new Error(`${container.name}: only envFrom configMapRef is described`);
    Object.assign(env, data('ConfigMap', source.configMapRef.name));
  }
  // Explicit env wins over envFrom, as in the kubelet.
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef)
      env[variable.name] = { fieldRef: variable.valueFrom.fieldRef.fieldPath };
    else
      throw new Error(
        `${container.name}: ${variable.name} has a source this test does not describe`,
      );
  }
  return env;
}

/** The readiness probe is what Swarm's one health check does; liveness gives the start delay. */
function health(container: Container): HealthDescription | null {
  const probe = container.readinessProbe;
  if (!probe) return null;
  return {
    check: probeCheck(container, probe),
    intervalSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    retries: probe.failureThreshold ?? 3,
    startSeconds: container.livenessProbe?.initialDelaySeconds ?? 0,
  };
}

export function probeCheck(container: Container, probe: Probe): string {
  if (probe.httpGet) {
    const { port, path } = probe.httpGet;
    const number =
      typeof port === 'number'
        ? port
        : container.ports?.find((p) => p.name === port)?.containerPort;
    return `GET :${number ?? port}${path ?? '/'}`;
  }
  if (probe.exec) return `exec ${probe.exec.command.join(' ')}`;
  throw new Error(`${container.name}: a probe that is neither httpGet nor exec`);
}

function mounts(
  workload: Workload,
  container: Container,
  data: DataOf,
): Record<string, MountDescription> {
  const found: Record<string, MountDescription> = {};
  const claims = new Set((workload.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name));
  for (const mount of container.volumeMounts ?? []) {
    const volume = workload.spec.template.spec.volumes?.find((v) => v.name === mount.name);
    // A claim and an emptyDir are both the workload's own storage, as a Swarm volume is;
    // an emptyDir in memory is a tmpfs.
    if (volume?.emptyDir?.medium === 'Memory') found[mount.mountPath] = { kind: 'tmpfs' };
    else if (claims.has(mount.name) || volume?.emptyDir)
      found[mount.mountPath] = { kind: 'volume' };
    else if (volume?.hostPath)
      found[mount.mountPath] = {
        kind: 'host',
        source: volume.hostPath.path,
        readOnly: mount.readOnly === true,
      };
    else if (volume?.configMap || volume?.secret) {
      const files = volume.configMap
        ? data('ConfigMap', volume.configMap.name)
        : data('Secret', volume.secret?.secretName ?? '');
      const describe = (content: string): MountDescription =>
        volume.configMap ? { kind: 'config', content } : { kind: 'secret' };
      // A subPath mounts one key as a file; otherwise every key is a file in the directory.
      if (mount.subPath !== undefined) found[mount.mountPath] = describe(files[mount.subPath]);
      else
        for (const [key, content] of Object.entries(files))
          found[`${mount.mountPath}/${key}`] = describe(content);
    } else
      throw new Error(
        `${container.name}: volume ${mount.name} is of a kind this test does not describe`,
      );
  }
  return found;
}

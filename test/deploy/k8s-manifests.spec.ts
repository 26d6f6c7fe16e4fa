import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  AGENT_SERVICES,
  INFRA_SERVICES,
  K8S_DEFAULT,
  K8S_POD_NETWORK,
  K8S_SECRETS,
  MESHMON_SERVICES,
} from './deploy-paths.js';
import { probeCheck, workloads, type Container } from './describe-k8s.js';
import { KnownFields } from './k8s-known-fields.js';
import { schemaProblems } from './k8s-schema.js';
import { listeningPorts } from './listening-ports.js';
import { renderKustomize, type K8sObject } from './render-kustomize.js';

const VARIANTS = {
  'host network (k8s/)': K8S_DEFAULT,
  'pod network (k8s/overlays/pod-network)': K8S_POD_NETWORK,
};
const rendered = new Map<string, K8sObject[]>();
let knownFields: KnownFields;

beforeAll(() => {
  for (const [variant, dir] of Object.entries(VARIANTS))
    rendered.set(variant, renderKustomize(dir));
  knownFields = KnownFields.for([...rendered.values()].flat());
});

const containersOf = (objects: readonly K8sObject[]): Container[] =>
  workloads(objects).flatMap((w) => w.spec.template.spec.containers);

describe('Kubernetes manifests', () => {
  describe.each(Object.keys(VARIANTS))('%s', (variant) => {
    it('every object is valid against the Kubernetes OpenAPI schema', async () => {
      const problems: string[] = [];
      for (const object of rendered.get(variant) ?? [])
        problems.push(...(await schemaProblems(object)));
      expect(problems).toEqual([]);
    });

    it('no object has a field the Kubernetes API does not define', () => {
      expect((rendered.get(variant) ?? []).flatMap((o) => knownFields.unknownFields(o))).toEqual(
        [],
      );
    });

    it('holds the namespace, config, secret, workloads, Services and budgets in namespace meshmon', () => {
      const objects = rendered.get(variant) ?? [];
      const names = objects
        .map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`)
        .sort();
      expect(names).toEqual(
        [
          'Namespace/meshmon',
          'ConfigMap/meshmon-config',
          'ConfigMap/nats-config',
          'ConfigMap/influxdb-provision',
          'Secret/meshmon-secrets',
          'DaemonSet/meshmon-agent',
          'Deployment/result-sink',
          'Deployment/gateway',
          ...INFRA_SERVICES.map((s) => `StatefulSet/${s}`),
          ...['result-sink', 'gateway', ...INFRA_SERVICES].map((s) => `Service/${s}`),
          ...['result-sink', 'gateway', ...INFRA_SERVICES].map((s) => `PodDisruptionBudget/${s}`),
          ...INFRA_SERVICES.map((s) => `NetworkPolicy/${s}`),
        ].sort(),
      );
      const outside = objects.filter(
        (o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'meshmon',
      );
      expect(outside.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    });

    it('NATS, Redis and InfluxDB admit only the suite’s pods, on their client port alone', () => {
      const objects = rendered.get(variant) ?? [];
      const hostNetwork = variant.startsWith('host network');
      const clientPort: Record<string, number> = { nats: 4222, redis: 6379, influxdb: 8086 };
      for (const service of INFRA_SERVICES) {
        const policy = objects.find(
          (o) => o.kind === 'NetworkPolicy' && o.metadata.name === service,
        );
        const spec = policy?.spec as {
          podSelector: { matchLabels: Record<string, string> };
          policyTypes: string[];
          ingress: { from: unknown[]; ports: unknown[] }[];
        };
        const workload = workloads(objects).find((w) => w.metadata.name === service)!;
        const ports = workload.spec.template.spec.containers.flatMap((c) => c.ports ?? []);

        expect(spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': service });
        expect(workload.spec.template.metadata?.labels?.['app.kubernetes.io/name']).toBe(service);
        expect(spec.policyTypes).toEqual(['Ingress']);
        expect(spec.ingress).toHaveLength(1);
        expect(spec.ingress[0].ports).toEqual([{ port: clientPort[service], protocol: 'TCP' }]);
        expect(ports.map((p) => p.containerPort)).toContain(clientPort[service]);
        expect(spec.ingress[0].from).toEqual([
          { podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'meshmon' } } },
          ...(hostNetwork
            ? ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((cidr) => ({
                ipBlock: { cidr },
              }))
            : []),
        ]);
      }
      // Every pod of the suite carries the label the policies admit.
      for (const workload of workloads(objects)) {
        expect(workload.spec.template.metadata?.labels?.['app.kubernetes.io/part-of']).toBe(
          'meshmon',
        );
      }
    });

    it('every container declares exactly the ports its settings make it listen on', () => {
      const objects = rendered.get(variant) ?? [];
      const config = objects.find((o) => o.metadata.name.startsWith('meshmon-config'))
        ?.data as Record<string, string>;
      const mismatches = containersOf(objects).flatMap((c) => {
        const env = {
          ...config,
          ...Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value])),
        };
        const declared = (c.ports ?? [])
          .map((p) => `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`)
          .sort();
        const listening = listeningPorts({
          service: c.name,
          entrypoint: c.command ?? null,
          command: c.args ?? null,
          env,
        });
        return JSON.stringify(declared) === JSON.stringify(listening)
          ? []
          : [`${c.name}: declares ${declared}, listens on ${listening}`];
      });
      expect(mismatches).toEqual([]);
    });

    it('every Service selects one workload and targets ports its pods declare', () => {
      const objects = rendered.get(variant) ?? [];
      const problems = objects
        .filter((o) => o.kind === 'Service')
        .flatMap((service) => {
          const spec = service.spec as {
            selector: Record<string, string>;
            ports: { port: number; targetPort: number }[];
          };
          const selected = workloads(objects).filter((w) =>
            Object.entries(spec.selector).every(
              ([k, v]) => w.spec.template.metadata?.labels?.[k] === v,
            ),
          );
          if (selected.length !== 1)
            return [`Service/${service.metadata.name} selects ${selected.length} workloads`];
          const declared = selected[0].spec.template.spec.containers.flatMap((c) =>
            (c.ports ?? []).map((p) => p.containerPort),
          );
          return spec.ports
            .filter((p) => !declared.includes(p.targetPort))
            .map((p) => `Service/${service.metadata.name} targets undeclared port ${p.targetPort}`);
        });
      expect(problems).toEqual([]);
    });

    it('the NATS, Redis and InfluxDB URLs of the config name a Service port', () => {
      const objects = rendered.get(variant) ?? [];
      const config = objects.find((o) => o.metadata.name.startsWith('meshmon-config'))
        ?.data as Record<string, string>;
      const unresolved = ['MESHMON_NATS_URL', 'MESHMON_REDIS_URL', 'MESHMON_INFLUX_URL'].filter(
        (key) => {
          const url = new URL(config[key]);
          const service = objects.find(
            (o) => o.kind === 'Service' && o.metadata.name === url.hostname,
          );
          const ports = (service?.spec as { ports?: { port: number }[] } | undefined)?.ports ?? [];
          return !ports.some((p) => String(p.port) === url.port);
        },
      );
      expect(unresolved).toEqual([]);
    });

    it('liveness and readiness probes check the same port with the same timing', () => {
      const problems = containersOf(rendered.get(variant) ?? []).flatMap((c) => {
        if (!c.livenessProbe || !c.readinessProbe) return [`${c.name}: a probe is missing`];
        const live = probeCheck(c, c.livenessProbe);
        const ready = probeCheck(c, c.readinessProbe);
        const meshmon = MESHMON_SERVICES.includes(c.name);
        const expectedLive = meshmon ? ready.replace('/health/ready', '/health/live') : ready;
        const timing = (p: typeof c.livenessProbe) => [
          p?.periodSeconds,
          p?.timeoutSeconds,
          p?.failureThreshold,
        ];
        return [
          ...(live === expectedLive ? [] : [`${c.name}: liveness ${live}, readiness ${ready}`]),
          ...(meshmon && !ready.endsWith('/health/ready')
            ? [`${c.name}: readiness asks ${ready}`]
            : []),
          ...(JSON.stringify(timing(c.livenessProbe)) === JSON.stringify(timing(c.readinessProbe))
            ? []
            : [`${c.name}: liveness and readiness timings differ`]),
        ];
      });
      expect(problems).toEqual([]);
    });

    it('runs Meshmon as uid 1000, read-only root, no capabilities but the monitor NET_RAW', () => {
      const objects = rendered.get(variant) ?? [];
      const seen = workloads(objects).flatMap((w) =>
        w.spec.template.spec.containers
          .filter((c) => MESHMON_SERVICES.includes(c.name))
          .map((c) => {
            const pod = w.spec.template.spec.securityContext as Record<string, unknown>;
            const own = (c.securityContext ?? {}) as Record<string, unknown>;
            return [
              c.name,
              pod.runAsNonRoot,
              pod.runAsUser,
              c.securityContext?.capabilities,
              own.allowPrivilegeEscalation,
              own.readOnlyRootFilesystem,
            ];
          }),
      );
      const expected = MESHMON_SERVICES.map((name) =>
        name === 'monitor'
          ? [name, true, 1000, { drop: ['ALL'], add: ['NET_RAW'] }, undefined, true]
          : [name, true, 1000, { drop: ['ALL'] }, false, true],
      );
      expect(seen.sort()).toEqual(expected.sort());
    });
  });

  it('puts the node agents, and only them, on the host network in the default variant', () => {
    const onHost = (variant: string) =>
      workloads(rendered.get(variant) ?? [])
        .filter((w) => w.spec.template.spec.hostNetwork === true)
        .flatMap((w) => w.spec.template.spec.containers.map((c) => c.name))
        .sort();
    expect(onHost('host network (k8s/)')).toEqual([...AGENT_SERVICES].sort());
    expect(onHost('pod network (k8s/overlays/pod-network)')).toEqual([]);
  });

  it('does not render without the generated secrets: the API is never open by default', () => {
    const copy = mkdtempSync(join(tmpdir(), 'k8s-no-secrets-'));
    cpSync(K8S_DEFAULT, copy, { recursive: true, filter: (path) => !path.startsWith(K8S_SECRETS) });

    try {
      expect(() => renderKustomize(copy)).toThrow(/secrets\/gateway-token/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('fails with how to install kubectl when kubectl is not on PATH', () => {
    expect(() => renderKustomize(K8S_DEFAULT, { PATH: '/nonexistent' })).toThrow(
      /kubectl is not installed .*Install kubectl/,
    );
  });
});

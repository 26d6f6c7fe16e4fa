import { describe, expect, it } from '@jest/globals';
import {
  AGENT_SERVICES,
  INFRA_SERVICES,
  K8S_DEFAULT,
  K8S_POD_NETWORK,
  MESHMON_SERVICES,
  SWARM_OVERLAY,
  SWARM_STACK,
} from './deploy-paths.js';
import {
  describeDifference,
  differences,
  sortDifferences,
  type AllowedDifference,
} from './deployment-description.js';
import { describeKubernetes } from './describe-k8s.js';
import { describeSwarm } from './describe-swarm.js';
import { renderKustomize } from './render-kustomize.js';
import { stackConfig } from './stack-config.js';

/** The differences by design between k8s/ and swarm/ in every variant. */
const ALWAYS: AllowedDifference[] = [
  ...MESHMON_SERVICES.map((service) => ({
    service,
    field: 'env.MESHMON_ORCHESTRATOR',
    k8s: 'kubernetes',
    swarm: 'swarm',
    why: 'every service tags its samples (and the sink its points) with where it runs',
  })),
  ...AGENT_SERVICES.flatMap((service) => [
    {
      service,
      field: 'env.MESHMON_NODE',
      k8s: { fieldRef: 'spec.nodeName' },
      swarm: '{{.Node.Hostname}}',
      why: 'each orchestrator names the node its own way',
    },
    {
      service,
      field: 'env.MESHMON_ADDRESS',
      k8s: { fieldRef: 'status.podIP' },
      swarm: 'auto',
      why: 'Swarm has no pod IP; the service takes the local address of its route to NATS',
    },
  ]),
];

/**
 * Only in the Swarm host variant: a host-network container cannot resolve Swarm
 * service names, so every service is on the host network and reaches the
 * infrastructure at MESHMON_INFRA_ADDRESS (127.0.0.1 by default).
 */
const SWARM_HOST_ONLY: AllowedDifference[] = [
  ...MESHMON_SERVICES.flatMap((service) => [
    {
      service,
      field: 'env.MESHMON_NATS_URL',
      k8s: 'nats://nats:4222',
      swarm: 'nats://127.0.0.1:4222',
      why: 'infra address',
    },
    {
      service,
      field: 'env.MESHMON_REDIS_URL',
      k8s: 'redis://redis:6379',
      swarm: 'redis://127.0.0.1:6379',
      why: 'infra address',
    },
    {
      service,
      field: 'env.MESHMON_INFLUX_URL',
      k8s: 'http://influxdb:8086',
      swarm: 'http://127.0.0.1:8086',
      why: 'infra address',
    },
  ]),
  ...['result-sink', 'gateway', ...INFRA_SERVICES].map((service) => ({
    service,
    field: 'hostNetwork',
    k8s: false,
    swarm: true,
    why: 'on Swarm everything shares the host network in this variant',
  })),
];

function compare(k8sDir: string, swarmFiles: string[], allowed: AllowedDifference[]) {
  const k8s = describeKubernetes(renderKustomize(k8sDir));
  const swarm = describeSwarm(stackConfig(swarmFiles));
  return { k8s, swarm, ...sortDifferences(differences(k8s, swarm), allowed) };
}

describe('Kubernetes and Swarm parity', () => {
  it('host network: k8s/ and swarm/stack.yml deploy the same services, settings, ports, checks and resources', () => {
    const { unexpected, unused } = compare(
      K8S_DEFAULT,
      [SWARM_STACK],
      [...ALWAYS, ...SWARM_HOST_ONLY],
    );
    expect(unexpected.map(describeDifference)).toEqual([]);
    expect(unused.map(describeDifference)).toEqual([]);
  });

  it('pod network: k8s/overlays/pod-network and stack.yml + stack.overlay.yml deploy the same thing', () => {
    const { unexpected, unused } = compare(K8S_POD_NETWORK, [SWARM_STACK, SWARM_OVERLAY], ALWAYS);
    expect(unexpected.map(describeDifference)).toEqual([]);
    expect(unused.map(describeDifference)).toEqual([]);
  });

  it('both put the node agents on the host network by default and nothing on it in the pod variants', () => {
    const onHost = (k8sDir: string, swarmFiles: string[]) => {
      const { k8s, swarm } = compare(k8sDir, swarmFiles, []);
      const names = (m: typeof k8s) =>
        [...m.values()]
          .filter((d) => d.hostNetwork)
          .map((d) => d.service)
          .sort();
      return { k8s: names(k8s), swarm: names(swarm).filter((s) => AGENT_SERVICES.includes(s)) };
    };
    expect(onHost(K8S_DEFAULT, [SWARM_STACK])).toEqual({
      k8s: [...AGENT_SERVICES].sort(),
      swarm: [...AGENT_SERVICES].sort(),
    });
    expect(onHost(K8S_POD_NETWORK, [SWARM_STACK, SWARM_OVERLAY])).toEqual({ k8s: [], swarm: [] });
  });

  it('offers the gateway on the same port: the k8s Service and the Swarm overlay publication', () => {
    const service = renderKustomize(K8S_POD_NETWORK).find(
      (o) => o.kind === 'Service' && o.metadata.name === 'gateway',
    );
    const k8sPorts = (service?.spec as { ports: { port: number; targetPort: number }[] }).ports.map(
      (p) => `${p.port}->${p.targetPort}`,
    );
    const swarmPorts = (stackConfig([SWARM_STACK, SWARM_OVERLAY]).services.gateway.ports ?? []).map(
      (p) => `${p.published}->${p.target}`,
    );
    expect(swarmPorts).toEqual(k8sPorts);
  });

  it('differences names the service and field of a change', () => {
    const k8s = describeKubernetes(renderKustomize(K8S_DEFAULT));
    const sensor = k8s.get('sensor');
    if (!sensor) throw new Error('no sensor');
    const changed = new Map(k8s);
    changed.set('sensor', {
      ...sensor,
      resources: { ...sensor.resources, cpuLimitMillicores: 1000 },
      env: { ...sensor.env, MESHMON_PROBE_SECONDS: '5' },
    });
    changed.delete('redis');
    expect(differences(k8s, changed).map(describeDifference)).toEqual([
      'redis service: k8s "present", swarm "absent"',
      'sensor env.MESHMON_PROBE_SECONDS: k8s "10", swarm "5"',
      expect.stringMatching(
        /^sensor resources: k8s .*"cpuLimitMillicores":2000.*, swarm .*"cpuLimitMillicores":1000/,
      ),
    ]);
  });
});

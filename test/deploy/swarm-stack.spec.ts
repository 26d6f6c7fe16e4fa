import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  AGENT_SERVICES,
  INFRA_SERVICES,
  MESHMON_SERVICES,
  SWARM_ONE_MACHINE,
  SWARM_OVERLAY,
  SWARM_STACK,
} from './deploy-paths.js';
import {
  describeDifference,
  differences,
  sortDifferences,
  type AllowedDifference,
} from './deployment-description.js';
import { describeSwarm } from './describe-swarm.js';
import { ToolFailedError } from './run-tool.js';
import { stackConfig } from './stack-config.js';

const scratch = mkdtempSync(join(tmpdir(), 'meshmon-stack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const clean = { PATH: process.env.PATH, HOME: process.env.HOME };

describe('Swarm stack', () => {
  it.each([
    ['stack.yml', [SWARM_STACK]],
    ['stack.yml + stack.overlay.yml', [SWARM_STACK, SWARM_OVERLAY]],
    ['stack.yml + one-machine.yml', [SWARM_STACK, SWARM_ONE_MACHINE]],
  ])('%s passes docker stack config with every service of the suite', (_name, files) => {
    expect(Object.keys(stackConfig(files).services).sort()).toEqual(
      [...MESHMON_SERVICES, ...INFRA_SERVICES].sort(),
    );
  });

  it('docker stack config refuses a property the compose schema does not define', () => {
    const broken = join(scratch, 'broken.yml');
    writeFileSync(
      broken,
      'version: "3.8"\nservices:\n  a:\n    image: x\n    deploy:\n      bogus: 1\n',
    );
    expect(() => stackConfig([broken])).toThrow(ToolFailedError);
  });

  it('host variant - runs everything on the host network and reaches the infrastructure by address and port variables', () => {
    const env = {
      ...clean,
      MESHMON_INFRA_ADDRESS: '10.9.8.7',
      MESHMON_NATS_PORT: '14222',
      MESHMON_NATS_MONITOR_PORT: '18222',
      MESHMON_REDIS_PORT: '16379',
      MESHMON_INFLUX_PORT: '18086',
      MESHMON_INFLUX_RPC_PORT: '18088',
      MESHMON_GATEWAY_PORT: '18080',
      MESHMON_IMAGE: 'meshmon:ci',
      MESHMON_NATS_IMAGE: 'nats:ci',
      MESHMON_REDIS_IMAGE: 'redis:ci',
      MESHMON_INFLUX_IMAGE: 'influx:ci',
    };
    const stack = stackConfig([SWARM_STACK], env);
    const services = describeSwarm(stack);
    expect([...services.values()].filter((s) => !s.hostNetwork).map((s) => s.service)).toEqual([]);
    expect(Object.values(stack.services).flatMap((s) => s.ports ?? [])).toEqual([]);
    for (const name of ['controller', 'result-sink', 'gateway']) {
      expect(services.get(name)?.env).toMatchObject({
        MESHMON_NATS_URL: 'nats://10.9.8.7:14222',
        MESHMON_REDIS_URL: 'redis://10.9.8.7:16379',
        MESHMON_INFLUX_URL: 'http://10.9.8.7:18086',
      });
    }
    expect(services.get('nats')?.ports).toEqual(['14222/tcp', '18222/tcp']);
    expect(services.get('nats')?.health?.check).toBe('GET :18222/healthz');
    expect(services.get('redis')?.ports).toEqual(['16379/tcp']);
    expect(services.get('redis')?.health?.check).toBe('exec redis-cli -p 16379 ping');
    expect(services.get('influxdb')?.ports).toEqual(['18086/tcp']);
    expect(services.get('influxdb')?.env.INFLUXDB_BIND_ADDRESS).toBe('127.0.0.1:18088');
    expect(services.get('gateway')?.ports).toEqual(['18080/tcp']);
    expect(services.get('gateway')?.health?.check).toBe('GET :18080/health/ready');
    const images = Object.fromEntries([...services.values()].map((s) => [s.service, s.image]));
    expect(images).toEqual({
      ...Object.fromEntries(MESHMON_SERVICES.map((s) => [s, 'meshmon:ci'])),
      nats: 'nats:ci',
      redis: 'redis:ci',
      influxdb: 'influx:ci',
    });
  });

  it('overlay variant - puts everything on an attachable overlay and publishes only the gateway', () => {
    const stack = stackConfig([SWARM_STACK, SWARM_OVERLAY]);
    expect(stack.networks).toEqual({ meshmon: { driver: 'overlay', attachable: true } });
    expect([...describeSwarm(stack).values()].filter((s) => s.hostNetwork)).toEqual([]);
    const published = Object.entries(stack.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => `${name} ${p.published}->${p.target}/${p.protocol}`),
    );
    expect(published).toEqual(['gateway 8080->8080/tcp']);
  });

  it('one-machine - makes MESHMON_AGENTS replicated agents with slot identities and changes nothing else', () => {
    const base = describeSwarm(stackConfig([SWARM_STACK]));
    const one = stackConfig([SWARM_STACK, SWARM_ONE_MACHINE]);
    const allowed: AllowedDifference[] = AGENT_SERVICES.flatMap((service, i) => [
      {
        service,
        field: 'replication',
        k8s: 'global',
        swarm: 'replicated:3',
        why: 'one host plays the nodes',
      },
      {
        service,
        field: 'env.MESHMON_NODE',
        k8s: '{{.Node.Hostname}}',
        swarm: 'node2',
        why: 'slot N is node N',
      },
      {
        service,
        field: 'env.MESHMON_ADDRESS',
        k8s: 'auto',
        swarm: '127.0.0.12',
        why: 'a loopback address per node',
      },
      {
        service,
        field: 'env.MESHMON_HEALTH_PORT',
        k8s: `940${i + 1}`,
        swarm: `942${i + 1}`,
        why: 'health ports per node',
      },
      {
        service,
        field: 'health',
        k8s: base.get(service)?.health,
        swarm: { ...base.get(service)?.health, check: `GET :942${i + 1}/health/ready` },
        why: 'the health check follows the health port',
      },
    ]);
    allowed.push({
      service: 'flow-discovery',
      field: 'env.MESHMON_DISCOVERY_ALLOW_LOOPBACK',
      k8s: undefined,
      swarm: 'true',
      why: 'on one host every flow between the nodes is a loopback flow',
    });
    // (`k8s` here is the plain stack.yml side.) The health ports move with the slot; the
    // next assertion checks that no two tasks then share an address and port.
    const found = differences(base, describeSwarm(one, { taskSlot: 2 })).filter(
      (d) => d.field !== 'ports',
    );
    const { unexpected, unused } = sortDifferences(found, allowed);
    expect(unexpected.map(describeDifference)).toEqual([]);
    expect(unused.map(describeDifference)).toEqual([]);

    const bound: string[] = [];
    for (const slot of [1, 2, 3]) {
      for (const s of describeSwarm(one, { taskSlot: slot }).values()) {
        if (!AGENT_SERVICES.includes(s.service) && slot > 1) continue;
        // The sensor binds iperf3 to its node address; health servers listen on every address.
        for (const port of s.ports)
          bound.push(
            port.startsWith('52') ? `${String(s.env.MESHMON_ADDRESS)}:${port}` : `*:${port}`,
          );
      }
    }
    expect(bound.filter((b, i) => bound.indexOf(b) !== i)).toEqual([]);
    const five = stackConfig([SWARM_STACK, SWARM_ONE_MACHINE], { ...clean, MESHMON_AGENTS: '5' });
    expect(AGENT_SERVICES.map((s) => five.services[s].deploy?.replicas)).toEqual([5, 5, 5, 5]);
  });

  it('fails with how to install the docker CLI when docker is not on PATH', () => {
    expect(() => stackConfig([SWARM_STACK], { PATH: '/nonexistent' })).toThrow(
      /docker is not installed .*Install a Docker CLI with `docker stack config`/,
    );
  });
});

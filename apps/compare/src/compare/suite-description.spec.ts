import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureCredentials } from '@meshmon/service-runtime/credentials/credentials-folder.js';
import { describeSuite, instanceEnv, interpolate, stackSecretFiles } from './suite-description.js';

const REPO = resolve(import.meta.dirname, '../../../..');

describe(describeSuite.name, () => {
  it("suite - the stack's six services with its commands, users, limits and the one-machine identity", () => {
    const suite = describeSuite(REPO, { MESHMON_NATS_PORT: '4333', MESHMON_AGENTS: '3' });

    expect(suite.map((spec) => spec.name)).toEqual([
      'controller',
      'sensor',
      'monitor',
      'flow-discovery',
      'result-sink',
      'gateway',
    ]);
    const monitor = suite.find((spec) => spec.name === 'monitor')!;
    expect(monitor).toMatchObject({
      perNode: true,
      command: ['monitor'],
      user: '1000:1000',
      capDrop: ['ALL'],
      capAdd: ['NET_RAW'],
      limits: { cpus: '2', memory: '256M' },
      healthcheck: {
        command: ['node', '/app/dist/apps/meshmon/src/healthcheck.js'],
        interval: '10s',
        timeout: '3s',
        retries: 3,
        startPeriod: '30s',
      },
    });
    expect(monitor.env.MESHMON_NATS_URL).toBe('nats://127.0.0.1:4333');
    expect(instanceEnv(monitor, 2, 'host')).toMatchObject({
      MESHMON_NODE: 'node2',
      MESHMON_ADDRESS: '127.0.0.12',
      MESHMON_HEALTH_PORT: '9423',
    });
    const flows = suite.find((spec) => spec.name === 'flow-discovery')!;
    expect(flows.binds).toEqual([{ source: '/proc', target: '/host/proc', readOnly: true }]);
    const gateway = suite.find((spec) => spec.name === 'gateway')!;
    expect(gateway.perNode).toBe(false);
    expect(gateway.secrets).toEqual([
      {
        name: 'meshmon-influx-reader-password',
        source: resolve(REPO, 'swarm/secrets/influx-reader-password'),
        target: '/run/secrets/meshmon-influx-password',
      },
      {
        name: 'meshmon-nats-gateway',
        source: resolve(REPO, 'swarm/secrets/nats-gateway.nk'),
        target: '/run/secrets/meshmon-nats-nkey',
      },
      {
        name: 'meshmon-gateway-token',
        source: resolve(REPO, 'swarm/secrets/gateway-token'),
        target: '/run/secrets/meshmon-gateway-token',
      },
      {
        name: 'meshmon-redis-password',
        source: resolve(REPO, 'swarm/secrets/redis-password'),
        target: '/run/secrets/meshmon-redis-password',
      },
    ]);
  });
});

describe(stackSecretFiles.name, () => {
  it('secrets - every secret the stack defines is a file a credentials folder holds', () => {
    const folder = ensureCredentials(
      join(mkdtempSync(join(tmpdir(), 'stack-secrets-')), 'c'),
    ).folder;

    const files = stackSecretFiles(REPO, folder);
    const mounted = describeSuite(REPO, {}).flatMap((spec) => spec.secrets.map((s) => s.name));

    expect(Object.keys(files)).toEqual(expect.arrayContaining([...new Set(mounted)]));
    expect(Object.keys(files)).toContain('meshmon-nats-authorization');
    expect(Object.entries(files).filter(([, file]) => !existsSync(file))).toEqual([]);
  });
});

describe(interpolate.name, () => {
  it('interpolate - a set variable, else the default, else empty', () => {
    expect(interpolate('a${X:-1}b${Y:-2}c${Z}', { X: '9' })).toBe('a9b2c');
  });
});

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { InfluxDB } from 'influx';
import type { Browser } from 'playwright-core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Subjects } from '@meshmon/contracts';
import { bootstrap } from '../../apps/gateway/src/bootstrap.js';
import { ClusterFeed } from './cluster-feed.js';
import {
  expectDashboardShowsCluster,
  expectDashboardUpdates,
  launchChromium,
  openDashboard,
  type OpenDashboard,
} from './dashboard-checks.js';
import {
  developerInfluxLogin,
  developerNatsLogin,
  serviceLoginEnv,
} from '@meshmon/service-runtime/credentials/local-logins.js';

// Real NATS, Redis and InfluxDB (infra/local/start.sh), the real gateway in-process, and
// Debian's Chromium driven by playwright-core. The cluster is a feed of the messages a
// real one publishes; dashboard-checks.ts holds the checks, so a real lab can reuse them.
jest.setTimeout(90_000);

const ROLES = { n1: 'monitor', n2: 'monitor', n3: 'sensor', n4: 'sensor' } as const;
const NODES = Object.keys(ROLES);
const SCREENSHOT = '.tmp/dashboard.png';

describe('the dashboard, in headless Chromium against the real gateway', () => {
  const cluster = `dash-${randomBytes(4).toString('hex')}`;
  const database = `meshmon_${cluster.replaceAll('-', '_')}`;
  // A token exercises the page's #token handling: every API call and the stream need it.
  const token = randomBytes(16).toString('hex');
  let gateway: Awaited<ReturnType<typeof bootstrap>>;
  let nats: NatsConnection;
  let feed: ClusterFeed;
  let browser: Browser;
  let dashboard: OpenDashboard;

  beforeAll(async () => {
    browser = await launchChromium();
    gateway = await bootstrap({
      MESHMON_CLUSTER: cluster,
      MESHMON_INFLUX_DATABASE: database,
      MESHMON_GATEWAY_PORT: '0',
      MESHMON_GATEWAY_TOKEN: token,
      ...serviceLoginEnv('gateway'),
    });
    nats = await connect({
      servers: 'nats://127.0.0.1:4222',
      name: `dashboard-test-${cluster}`,
      ...developerNatsLogin(),
    });
    feed = new ClusterFeed(nats, new Subjects(cluster));
    await feed.start(ROLES);
    await feed.measured('n1', 'n3', { mbps: 479, rttMs: 0.42 });
    await feed.measured('n1', 'n4', { mbps: 912.3, rttMs: 0.18 });
    await feed.measured('n2', 'n3', { mbps: 88.8, rttMs: 3.75 });
    await feed.measured('n2', 'n4', { mbps: 640.55, rttMs: 0.27 });
    dashboard = await openDashboard(browser, `${gateway.url}/#token=${token}`);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await nats?.close();
    await new InfluxDB({ host: '127.0.0.1', port: 8086, ...developerInfluxLogin() }).dropDatabase(
      database,
    );
  });

  it('dashboard - shows the running cluster: matrices, roles and coverage', async () => {
    await expectDashboardShowsCluster(dashboard.page, {
      nodes: NODES,
      roles: ROLES,
      results: feed.results,
      runId: feed.runId,
    });
    const cell = dashboard.page.locator(
      '#throughput-heatmap td[data-monitor="n1"][data-sensor="n3"]',
    );
    await expect(cell.textContent()).resolves.toBe('479.0');
    await expect(cell.getAttribute('title')).resolves.toContain('479.0 Mbit/s');
    // RTTs of a healthy LAN differ by their own noise: the scale has a floor, so they look
    // alike (the legend then says so); a pair 5 ms slow still spans it, best to worst.
    const scale = await dashboard.page.evaluate(async () => {
      // The page's own module, as the dashboard loads it.
      const module = '/colour-scale.js';
      const { scaleFor } = (await import(module)) as {
        scaleFor: (
          metric: string,
          values: number[],
        ) => { t: (value: number) => number; floored: boolean };
      };
      const noise = scaleFor('rtt', [0.02, 0.05]);
      const fault = scaleFor('rtt', [0.2, 5]);
      return { noise: noise.t(0.05), noisy: noise.floored, fault: fault.t(5), best: fault.t(0.2) };
    });
    expect(scale.noise).toBeGreaterThan(0.95);
    expect(scale).toMatchObject({ noisy: true, fault: 0, best: 1 });
    // Here n2 -> n3 is 3.75 ms against 0.18-0.42 ms: a real difference, so the scale is
    // the data's own and the legend needs no note on the floor.
    await expect(dashboard.page.locator('#rtt-legend [data-legend="floor"]').count()).resolves.toBe(
      0,
    );
    // The token went from the address into sessionStorage, and out of the address.
    expect(new URL(dashboard.page.url()).hash).toBe('');
    mkdirSync('.tmp', { recursive: true });
    await dashboard.page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('dashboard - a new result changes its cell live, without a reload', async () => {
    await expectDashboardUpdates(dashboard.page, () =>
      feed.measured('n1', 'n3', { mbps: 512.7, rttMs: 0.39 }),
    );
    // Roles turn over and a pair measured for the first time appears; earlier cells stay.
    const turned = { n1: 'sensor', n2: 'sensor', n3: 'monitor', n4: 'monitor' } as const;
    await feed.switchRoles(turned);
    await expectDashboardUpdates(dashboard.page, () =>
      feed.measured('n3', 'n1', { mbps: 333.3, rttMs: 0.5 }),
    );
    await expectDashboardShowsCluster(dashboard.page, {
      nodes: NODES,
      roles: turned,
      results: feed.results,
    });
  });

  it('dashboard - opened without the token, it asks for it, then shows the cluster', async () => {
    // A page of its own: a fresh context, so no token in its sessionStorage.
    const bare = await openDashboard(browser, `${gateway.url}/`);
    try {
      const form = bare.page.locator('#token-form');
      await form.waitFor({ state: 'visible', timeout: 15_000 });
      await bare.page.fill('#token-input', token);
      await bare.page.click('#token-form button[type=submit]');
      await form.waitFor({ state: 'hidden', timeout: 5_000 });
      await expectDashboardShowsCluster(bare.page, {
        nodes: NODES,
        results: feed.results,
        runId: feed.runId,
      });
    } finally {
      await bare.page.context().close();
    }
  });

  it('dashboard - logs no console errors and throws nothing', () => {
    expect(dashboard.problems).toEqual([]);
  });
});

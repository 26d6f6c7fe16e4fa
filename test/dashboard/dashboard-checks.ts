import { existsSync } from 'node:fs';
import { expect } from '@jest/globals';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import type { MeasurementResult } from '@meshmon/contracts';

/**
 * Checks of the live dashboard that hold for any running cluster: the message feed of
 * dashboard.int-spec.ts, or a real lab (pass the lab observer's live `results` array).
 */

/** Debian's `chromium` package, which infra/local/install.sh installs. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: run \`sudo bash infra/local/install.sh\` (installs Debian's chromium)`,
    );
  }
  // Root in CI (and in containers) has no user namespaces for Chromium's sandbox.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}

export interface OpenDashboard {
  readonly page: Page;
  /** Console errors and uncaught exceptions of the page, as they happen. */
  readonly problems: string[];
}

/** Opens the dashboard at 1280x800, recording every console error and page exception. */
export async function openDashboard(browser: Browser, url: string): Promise<OpenDashboard> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  const pending = new Map<Request, number>();
  traffic.set(page, { problems, pending });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  // Each request until it ends, so a page stuck on one can say which (an empty matrix once
  // came with the page showing its static text only: did its scripts or its API calls hang?).
  page.on('request', (request) => pending.set(request, Date.now()));
  page.on('requestfinished', (request) => pending.delete(request));
  page.on('requestfailed', (request) => {
    pending.delete(request);
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/** What openDashboard saw of a page's requests and errors, for a failure's message. */
const traffic = new WeakMap<Page, { problems: string[]; pending: Map<Request, number> }>();

export interface ExpectedCluster {
  readonly nodes: readonly string[];
  /** Roles to expect; leave out for a real lab, whose nodes switch roles all the time. */
  readonly roles?: Readonly<Record<string, 'monitor' | 'sensor'>>;
  /** Every result so far; read again on every poll, so a live array may keep growing. */
  readonly results: readonly MeasurementResult[];
  /** The scheduler run the services reported, when known. */
  readonly runId?: string;
}

interface CellView {
  readonly monitor: string;
  readonly sensor: string;
  readonly state: string;
  readonly text: string;
  readonly value: string | null;
  readonly measurementId: string | null;
}

const oneDecimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const twoDecimals = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
/** How the page must write a throughput: Mbit/s with one decimal, e.g. `479.0`. */
export const mbpsText = (bitsPerSecond: number): string => oneDecimal.format(bitsPerSecond / 1e6);
const msText = (ms: number): string => twoDecimals.format(ms);

export function readMatrix(page: Page, metric: 'throughput' | 'rtt'): Promise<CellView[]> {
  return page.$$eval(`#${metric}-heatmap td[data-monitor]`, (cells) =>
    cells.map((cell) => ({
      monitor: cell.getAttribute('data-monitor') ?? '',
      sensor: cell.getAttribute('data-sensor') ?? '',
      state: cell.getAttribute('data-state') ?? '',
      text: (cell.textContent ?? '').trim(),
      value: cell.getAttribute('data-value'),
      measurementId: cell.getAttribute('data-measurement-id'),
    })),
  );
}

/** The page's own account of itself: its problem banner, last update and live stream. */
async function pageState(page: Page): Promise<string> {
  const banner = page.locator('#banner');
  const shownBanner = (await banner.isHidden())
    ? '(hidden)'
    : JSON.stringify((await banner.textContent())?.trim());
  const updated = (await page.locator('#updated').textContent())?.trim();
  const connection = await page.locator('#connection').getAttribute('data-state');
  const seen = traffic.get(page);
  const now = Date.now();
  const pending = [...(seen?.pending ?? [])].map(
    ([request, since]) => `${new URL(request.url()).pathname} for ${now - since} ms`,
  );
  return (
    `banner ${shownBanner}, "${updated}", connection ${connection}; ` +
    `requests still open: ${pending.join(', ') || 'none'}; ` +
    `errors: ${seen?.problems.join('; ') || 'none'}`
  );
}

/** Polls `read` until `ok` or the deadline; returns the last reading for an exact expect. */
async function poll<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  for (let i = 0; i < 1000 && !ok(value) && Date.now() < deadline; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

const pairName = (monitor: string, sensor: string): string => `${monitor}->${sensor}`;

/** What each matrix cell must say: the latest good result's figure, or nothing. */
function expectedCells(cluster: ExpectedCluster, metric: 'throughput' | 'rtt') {
  const latest = new Map<string, MeasurementResult>();
  for (const result of cluster.results) {
    if (!result.ok) continue;
    const key = pairName(result.monitor, result.sensor);
    const before = latest.get(key);
    if (!before || result.endedAtMs >= before.endedAtMs) latest.set(key, result);
  }
  const cells: Record<string, string> = {};
  for (const monitor of cluster.nodes) {
    for (const sensor of cluster.nodes) {
      const result = latest.get(pairName(monitor, sensor));
      let text = '';
      if (result?.ok && metric === 'throughput') text = mbpsText(result.throughput.bitsPerSecond);
      if (result?.ok && metric === 'rtt' && result.rtt) text = msText(result.rtt.avgMs);
      cells[pairName(monitor, sensor)] = monitor === sensor ? 'self' : text;
    }
  }
  return cells;
}

function shownCells(cells: readonly CellView[]) {
  const shown: Record<string, string> = {};
  for (const cell of cells) {
    shown[pairName(cell.monitor, cell.sensor)] = cell.state === 'self' ? 'self' : cell.text;
  }
  return shown;
}

function readNodes(page: Page) {
  return page.$$eval('#nodes tbody tr[data-node]', (rows) =>
    rows.map((row) => ({
      node: row.getAttribute('data-node') ?? '',
      role: row.querySelector('[data-field="role"]')?.getAttribute('data-role') ?? '',
    })),
  );
}

/**
 * The page shows the cluster: both matrices have a cell per pair with the latest
 * result's figure (and nothing for pairs never measured), the nodes table lists every
 * node with its role, coverage is above zero, and the event stream is live.
 */
export async function expectDashboardShowsCluster(
  page: Page,
  cluster: ExpectedCluster,
  timeoutMs = 20_000,
): Promise<void> {
  for (const metric of ['throughput', 'rtt'] as const) {
    const shown = await poll(
      async () => shownCells(await readMatrix(page, metric)),
      (cells) => Object.entries(expectedCells(cluster, metric)).every(([k, v]) => cells[k] === v),
      timeoutMs,
    );
    const expected = expectedCells(cluster, metric);
    if (Object.keys(shown).length === 0) {
      // Nothing rendered at all: say what the page itself says, not only the empty matrix.
      throw new Error(
        `the ${metric} matrix is still empty after ${timeoutMs} ms; the page says: ${await pageState(page)}`,
      );
    }
    expect(shown).toEqual(expect.objectContaining(expected));
  }

  const roleOk = (node: string, role: string): boolean =>
    cluster.roles?.[node] ? role === cluster.roles[node] : role === 'monitor' || role === 'sensor';
  const nodes = await poll(
    () => readNodes(page),
    (rows) =>
      rows.length === cluster.nodes.length &&
      rows.every((row) => cluster.nodes.includes(row.node) && roleOk(row.node, row.role)),
    timeoutMs,
  );
  const anyRole = expect.stringMatching(/^(monitor|sensor)$/);
  expect([...nodes].sort((a, b) => a.node.localeCompare(b.node))).toEqual(
    [...cluster.nodes]
      .sort((a, b) => a.localeCompare(b))
      .map((node) => ({ node, role: cluster.roles?.[node] ?? anyRole })),
  );

  const coverage = await poll(
    () => page.locator('#coverage-value').evaluate((dd) => dd.getAttribute('data-value')),
    (value) => Number(value) > 0,
    timeoutMs,
  );
  expect(Number(coverage)).toBeGreaterThan(0);
  expect(Number(coverage)).toBeLessThanOrEqual(1);
  await expect(page.locator('#coverage-value').textContent()).resolves.toMatch(/^\d+\.\d %$/);
  await expect(page.locator('#coverage-chart svg path.coverage-line').count()).resolves.toBe(1);
  if (cluster.runId !== undefined) {
    await expect(page.locator('#scheduler-run').textContent()).resolves.toBe(cluster.runId);
  }
  await expect(page.locator('#connection').getAttribute('data-state')).resolves.toBe('live');
}

/**
 * A new result reaches its cell through the event stream, without a reload: the cell
 * shows the result's figure and carries its measurementId (which only the stream sends,
 * the periodic refresh does not), and a marker set on the page before survives.
 */
export async function expectDashboardUpdates(
  page: Page,
  publishNext: () => Promise<MeasurementResult>,
  timeoutMs = 5_000,
): Promise<void> {
  await page.evaluate(() => {
    (globalThis as Record<string, unknown>).meshmonTestMark = 'not reloaded';
  });
  const result = await publishNext();
  if (!result.ok) throw new Error('expectDashboardUpdates needs a successful result');
  const { monitor, sensor, measurementId } = result;
  const expected = {
    monitor,
    sensor,
    state: 'measured',
    text: mbpsText(result.throughput.bitsPerSecond),
    value: String(result.throughput.bitsPerSecond),
    measurementId,
  };
  const cell = await poll(
    async () =>
      (await readMatrix(page, 'throughput')).find(
        (c) => c.monitor === monitor && c.sensor === sensor,
      ),
    (found) => found?.measurementId === measurementId,
    timeoutMs,
  );
  expect(cell).toEqual(expected);
  const mark = await page.evaluate(() => (globalThis as Record<string, unknown>).meshmonTestMark);
  expect(mark).toBe('not reloaded');
}

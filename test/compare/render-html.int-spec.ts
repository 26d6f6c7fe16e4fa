import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../dashboard/dashboard-checks.js';
import { renderHtml } from '../../apps/compare/src/compare/render-html.js';
import {
  FIXTURE_RUN,
  reportFixture,
} from '../../apps/compare/src/compare/testing/report-fixture.js';

// The page as a reader opens it: a file in Debian's Chromium, offline. Unit specs check
// the markup; this checks that the browser draws it and asks for nothing else.
describe(renderHtml.name, () => {
  const report = reportFixture();
  const directory = mkdtempSync(join(tmpdir(), 'meshmon-report-'));
  const file = join(directory, 'report.html');
  const url = pathToFileURL(file).href;
  const problems: string[] = [];
  const requests: string[] = [];
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    writeFileSync(file, renderHtml(report));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('render - opens without console errors and requests nothing but itself', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('render - every comparison draws its chart with a size', async () => {
    const charts = await page.locator('section.comparison svg.chart').all();

    expect(charts).toHaveLength(report.comparisons.length);
    for (const chart of charts) {
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(0);
      expect(box?.height).toBeGreaterThan(0);
    }
  });

  it('render - the overview draws one bar per service and orchestrator with a CPU mean', async () => {
    const expected = report.comparisons
      .filter((comparison) => comparison.metric === 'cpuPercent')
      .flatMap((comparison) =>
        comparison.groups.map((group) => `${comparison.service}/${group.orchestrator}`),
      );
    const bars = await page.locator('#overview rect.bar').all();

    const drawn: string[] = [];
    for (const bar of bars) {
      const box = await bar.boundingBox();
      if (box && box.width > 0 && box.height > 0) {
        drawn.push(
          `${await bar.getAttribute('data-service')}/${await bar.getAttribute('data-orchestrator')}`,
        );
      }
    }

    expect(drawn.sort()).toEqual(expected.sort());
  });

  it('render - the page says which run it reports', async () => {
    expect(await page.locator('#report').innerText()).toContain(FIXTURE_RUN);
  });
});

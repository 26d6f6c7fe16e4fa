import { renderHtml } from './render-html.js';
import type { CompareReport } from './report-types.js';
import { FIXTURE_RUN, reportFixture } from './testing/report-fixture.js';

/** Every match of a pattern's first group. */
const all = (pattern: RegExp, text: string): string[] =>
  [...text.matchAll(pattern)].map((match) => match[1]);

const sectionsOf = (page: string): string[] =>
  all(/(<section class="comparison"[\s\S]*?<\/section>)/g, page);

describe(renderHtml.name, () => {
  let report: CompareReport;

  beforeEach(() => {
    report = reportFixture();
  });

  it('render - one self-contained page: no script, no link, no address to fetch', () => {
    const sut = renderHtml(report);

    expect(sut.startsWith('<!doctype html>')).toBe(true);
    expect(sut).not.toMatch(/<script/i);
    expect(sut).not.toMatch(/https?:\/\//i);
    expect(sut).not.toMatch(/\s(src|href)=/i);
    expect(sut).not.toMatch(/url\(|@import/i);
    expect(sut).toContain('<main id="report">');
  });

  it('render - a section per comparison, with its service, metric and chart', () => {
    const sut = sectionsOf(renderHtml(report));

    expect(sut.map((section) => all(/data-service="([^"]*)" data-metric/g, section)[0])).toEqual([
      'monitor',
      'monitor',
      'orchestrator',
      'orchestrator',
    ]);
    expect(sut.map((section) => all(/data-metric="([^"]*)"/g, section)[0])).toEqual([
      'cpuPercent',
      'rssMiB',
      'cpuPercent',
      'rssMiB',
    ]);
    for (const section of sut) {
      expect(all(/(<svg class="chart" role="img" aria-label=")/g, section)).toHaveLength(1);
      const ticks = all(/(<text class="tick")/g, section).length;
      expect(ticks >= 4 && ticks <= 5).toBe(true);
    }
  });

  it('render - each chart a dot per value, a mean and a CI per group, 4-5 labelled ticks', () => {
    const [monitorCpu] = sectionsOf(renderHtml(report));

    expect(all(/(<circle class="dot")/g, monitorCpu)).toHaveLength(15);
    expect(all(/(<line class="mean")/g, monitorCpu)).toHaveLength(3);
    expect(all(/(<path class="ci")/g, monitorCpu)).toHaveLength(3);
    expect(all(/<text class="tick"[^>]*>([^<]*)</g, monitorCpu)).toEqual([
      '2.5',
      '3.0',
      '3.5',
      '4.0',
      '4.5',
    ]);
    expect(all(/<text class="unit"[^>]*>([^<]*)</g, monitorCpu)).toEqual(['% of one core']);
    expect(all(/<text class="name"[^>]*>([^<]*)</g, monitorCpu)).toEqual([
      'process',
      'container',
      'swarm',
    ]);
  });

  it('render - the overview: a bar per service and orchestrator with a CPU mean', () => {
    const sut = renderHtml(report);

    const overview = all(/(<svg id="overview"[\s\S]*?<\/svg>)/g, sut);
    expect(overview).toHaveLength(1);
    expect(
      all(/<rect class="bar" (data-service="[^"]*" data-orchestrator="[^"]*")/g, overview[0]),
    ).toEqual([
      'data-service="monitor" data-orchestrator="process"',
      'data-service="monitor" data-orchestrator="container"',
      'data-service="monitor" data-orchestrator="swarm"',
      'data-service="orchestrator" data-orchestrator="container"',
      'data-service="orchestrator" data-orchestrator="swarm"',
    ]);
  });

  it('render - colours fixed by orchestrator name, grey for any other', () => {
    const [monitorCpu] = report.comparisons;
    const changed = {
      ...report,
      comparisons: [
        {
          ...monitorCpu,
          groups: monitorCpu.groups.map((g, i) => (i === 0 ? { ...g, orchestrator: 'nomad' } : g)),
        },
      ],
    };

    const sut = renderHtml(changed);

    expect(sut).toMatch(/<rect class="bar"[^>]*data-orchestrator="nomad"[^>]*fill="#9d9d9d"/);
    expect(sut).toMatch(/<circle class="dot"[^>]*fill="#9d9d9d"/);
    expect(sut).toMatch(/data-orchestrator="container"[^>]*fill="#f28e2b"/);
    expect(sut).toMatch(/data-orchestrator="swarm"[^>]*fill="#59a14f"/);
  });

  it('render - text from the report HTML-escaped, in content and in attributes', () => {
    const [monitorCpu, ...rest] = report.comparisons;
    const changed: CompareReport = {
      ...report,
      run: 'run<b>1</b>',
      comparisons: [
        { ...monitorCpu, service: 'mon"itor', note: 'a <script>alert(1)</script> & "more"' },
        ...rest,
      ],
      orchestrators: [{ name: 'nomad', status: 'skipped', reason: '<img src=x onerror=alert(1)>' }],
    };

    const sut = renderHtml(changed);

    expect(sut).toContain('Note: a &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(sut).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(sut).toContain(
      '<h1>Orchestrator comparison, run run&lt;b&gt;1&lt;/b&gt;, started 2025-05-12 09:30 UTC</h1>',
    );
    expect(sut).toContain('data-service="mon&quot;itor"');
    expect(sut).not.toMatch(/<script|<img|<b>/);
  });

  it('render - the content of the Markdown: scenario, machine, skipped reason, tests, flags, note', () => {
    const sut = renderHtml(report);

    expect(sut).toContain(`run ${FIXTURE_RUN}`);
    expect(sut).toContain('<tr><td>background traffic</td><td>3 flow(s) of 250 kB/s</td></tr>');
    expect(sut).toContain('<tr><td>kernel</td><td>6.1.0-31-amd64</td></tr>');
    expect(sut).toContain(
      '<tr><td>kubernetes</td><td>skipped</td><td>no cluster reachable: kubectl has no current context</td></tr>',
    );
    expect(sut).toContain('<li>One-way ANOVA: F(2, 12) = 166, p &lt; 0.001</li>');
    expect(sut).toContain(
      '<tr><td>swarm</td><td class="num">3</td><td class="num">9999</td><td>must be at most the machine&#39;s memory (7936 MiB)</td></tr>',
    );
    expect(sut).toContain('<p class="note">Note: 1 value(s) outside physical bounds');
    expect(sut).toContain('<td class="num">2.10 %</td>');
  });

  it('render - the same report, the same page (jitter is deterministic)', () => {
    expect(renderHtml(report)).toBe(renderHtml(report));
  });
});

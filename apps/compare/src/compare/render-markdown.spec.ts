import type { Comparison } from './comparisons.js';
import { renderMarkdown } from './render-markdown.js';
import type { CompareReport } from './report-types.js';
import { FIXTURE_RUN, reportFixture } from './testing/report-fixture.js';

/** A table row's cells: split on `|` unless escaped as `\|`. */
const cellsOf = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

const lineWith = (text: string, markdown: string): string => {
  const line = markdown.split('\n').find((one) => one.includes(text));
  if (line === undefined) throw new Error(`no line with ${text}`);
  return line;
};

/** The Markdown between a comparison's heading and the next heading of its level. */
const sectionOf = (heading: string, markdown: string): string => {
  const start = markdown.indexOf(`### ${heading}`);
  if (start === -1) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf('\n### ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
};

const withComparison = (
  report: CompareReport,
  service: string,
  metric: string,
  change: Partial<Comparison>,
): CompareReport => ({
  ...report,
  comparisons: report.comparisons.map((c) =>
    c.service === service && c.metric === metric ? { ...c, ...change } : c,
  ),
});

describe(renderMarkdown.name, () => {
  let report: CompareReport;

  beforeEach(() => {
    report = reportFixture();
  });

  it('render - the title names the run and its start in UTC', () => {
    const sut = renderMarkdown(report);

    expect(sut.split('\n')[0]).toBe(
      `# Orchestrator comparison, run ${FIXTURE_RUN}, started 2025-05-12 09:30 UTC`,
    );
  });

  it('render - scenario and machine as short tables', () => {
    const sut = renderMarkdown(report);

    expect(cellsOf(lineWith('| nodes |', sut))).toEqual(['nodes', '3']);
    expect(cellsOf(lineWith('| background traffic |', sut))).toEqual([
      'background traffic',
      '3 flow(s) of 250 kB/s',
    ]);
    expect(cellsOf(lineWith('| warm-up per block |', sut))).toEqual(['warm-up per block', '30 s']);
    expect(cellsOf(lineWith('| cgroup version |', sut))).toEqual(['cgroup version', 'v2']);
  });

  it('render - a skipped orchestrator with its reason', () => {
    const sut = renderMarkdown(report);

    expect(cellsOf(lineWith('| kubernetes |', sut))).toEqual([
      'kubernetes',
      'skipped',
      'no cluster reachable: kubectl has no current context',
    ]);
  });

  it('render - one row per group with n, mean, sd and 95 % CI, the unit in the header', () => {
    const sut = sectionOf('monitor: CPU (% of one core)', renderMarkdown(report));

    expect(cellsOf(lineWith('| orchestrator | n |', sut))).toEqual([
      'orchestrator',
      'n',
      'mean (% of one core)',
      'sd',
      '95 % CI',
    ]);
    expect(cellsOf(lineWith('| process |', sut))).toEqual([
      'process',
      '5',
      '3.03',
      '0.105',
      '2.90 to 3.16',
    ]);
    expect(cellsOf(lineWith('| swarm |', sut))).toEqual([
      'swarm',
      '5',
      '4.18',
      '0.0986',
      '4.05 to 4.30',
    ]);
  });

  it('render - the tests, p below 0.001 as "< 0.001" and others with three decimals', () => {
    const monitorCpu = report.comparisons.find((c) => c.service === 'monitor')!;
    const changed = withComparison(report, 'monitor', 'cpuPercent', {
      welch: { ...monitorCpu.welch!, p: 0.04567 },
    });

    const sut = sectionOf('monitor: CPU (% of one core)', renderMarkdown(changed));

    expect(sut).toContain('- One-way ANOVA: F(2, 12) = 166, p < 0.001');
    expect(sut).toContain("- Welch's ANOVA: F(2, 7.98) = 145, p = 0.046");
    expect(sut).toContain('- Equal variances: Levene p = 0.954, Brown-Forsythe p = 0.973');
    expect(sut).toContain('- Effect size: η² = 0.965, ω² = 0.956');
    expect(cellsOf(lineWith('| process − swarm |', sut))).toEqual([
      'process − swarm',
      '-1.14',
      '-1.31 to -0.975',
      '< 0.001',
    ]);
    expect(sut).toContain('Tukey HSD');
    expect(sut).toContain('Games-Howell');
  });

  it('render - no Games-Howell table where it could not be computed', () => {
    const changed = withComparison(report, 'monitor', 'cpuPercent', { gamesHowell: null });

    const sut = sectionOf('monitor: CPU (% of one core)', renderMarkdown(changed));

    expect(sut).toContain('Tukey HSD');
    expect(sut).not.toContain('Games-Howell');
  });

  it('render - flags and the note with the comparison they belong to, no tests there', () => {
    const sut = sectionOf('monitor: resident memory (MiB)', renderMarkdown(report));

    expect(cellsOf(lineWith('| swarm | 3 |', sut))).toEqual([
      'swarm',
      '3',
      '9999',
      "must be at most the machine's memory (7936 MiB)",
    ]);
    expect(sut).toContain(
      'Note: 1 value(s) outside physical bounds, left out; not compared: the groups have different window counts (process 5, container 5, swarm 4)',
    );
    expect(sut).not.toContain('ANOVA');
  });

  it('render - services in the suite order, the daemons after them, unknown ones last by name', () => {
    const [monitorCpu] = report.comparisons;
    const changed = {
      ...report,
      comparisons: [
        { ...monitorCpu, service: 'zebra' },
        { ...monitorCpu, service: 'alpha' },
        ...report.comparisons,
        { ...monitorCpu, service: 'controller' },
      ],
    };

    const sut = renderMarkdown(changed)
      .split('\n')
      .filter((line) => line.startsWith('### '));

    expect(sut).toEqual([
      '### controller: CPU (% of one core)',
      '### monitor: CPU (% of one core)',
      '### monitor: resident memory (MiB)',
      '### orchestrator daemons: CPU (% of one core)',
      '### orchestrator daemons: resident memory (MiB)',
      '### alpha: CPU (% of one core)',
      '### zebra: CPU (% of one core)',
    ]);
  });

  it('render - "|" in a table cell escaped, so every row keeps its columns', () => {
    const changed: CompareReport = {
      ...report,
      orchestrators: [{ name: 'nomad', status: 'skipped', reason: 'nomad | not installed' }],
      machine: { ...report.machine, kernel: '6.1|custom' },
    };

    const sut = renderMarkdown(changed);

    expect(lineWith('| nomad |', sut)).toBe('| nomad | skipped | nomad \\| not installed |');
    expect(cellsOf(lineWith('| kernel |', sut))).toEqual(['kernel', '6.1\\|custom']);
  });

  it('render - the agreement as percentages, a dash where there is no figure', () => {
    const sut = renderMarkdown(report);

    expect(cellsOf(lineWith('| container | monitor | 15 |', sut))).toEqual([
      'container',
      'monitor',
      '15',
      '2.10 %',
      '4.80 %',
      '3.40 %',
      '6.10 %',
    ]);
    expect(cellsOf(lineWith('| swarm | monitor | 15 |', sut))).toEqual([
      'swarm',
      'monitor',
      '15',
      '1.80 %',
      '3.90 %',
      '–',
      '–',
    ]);
  });

  it('render - "no exclusive cgroup" when no service had one', () => {
    const sut = renderMarkdown({ ...report, agreement: [] });

    expect(sut).toContain('No exclusive cgroup');
    expect(sut).not.toContain('| CPU mean |');
  });
});

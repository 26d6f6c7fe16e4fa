/**
 * The comparison report as Markdown, for a terminal, a commit or an issue. The content
 * comes from report-tables.ts, shared with the HTML page.
 */
import type { Comparison } from './comparisons.js';
import {
  AGREEMENT_INTRO,
  agreementTable,
  comparisonTitle,
  flagTable,
  groupTable,
  machineTable,
  NO_EXCLUSIVE_CGROUP,
  orchestratorTable,
  orderedComparisons,
  pairTable,
  reportTitle,
  scenarioTable,
  testLines,
  type TextTable,
} from './report-tables.js';
import type { CompareReport } from './report-types.js';

/**
 * A backslash or `|` would end or garble a cell, a line break would end the table; the
 * backslash goes first so the `\|` added here stays one escape.
 */
const cell = (text: string): string =>
  text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, ' ');

function markdownTable(table: TextTable): string {
  const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `| ${table.numeric.map((numeric) => (numeric ? '---:' : '---')).join(' | ')} |`;
  return [row(table.header), rule, ...table.rows.map(row)].join('\n');
}

function comparisonSection(comparison: Comparison): string[] {
  const { unit } = comparison;
  const parts = [`### ${comparisonTitle(comparison)}`];
  parts.push(
    comparison.groups.length > 0
      ? markdownTable(groupTable(comparison))
      : 'No orchestrator has two values to summarise.',
  );
  const lines = testLines(comparison);
  if (lines.length > 0) parts.push(lines.map((line) => `- ${line}`).join('\n'));
  if (comparison.tukey.length > 0) {
    parts.push(
      'Tukey HSD (equal variances assumed):',
      markdownTable(pairTable(comparison.tukey, unit)),
    );
  }
  if (comparison.gamesHowell !== null && comparison.gamesHowell.length > 0) {
    parts.push(
      'Games-Howell (unequal variances):',
      markdownTable(pairTable(comparison.gamesHowell, unit)),
    );
  }
  if (comparison.flags.length > 0) {
    parts.push(
      'Flagged, outside physical bounds and left out:',
      markdownTable(flagTable(comparison.flags, unit)),
    );
  }
  if (comparison.note !== null) parts.push(`Note: ${comparison.note}`);
  return parts;
}

/** The whole report as one Markdown document, ending in a newline. */
export function renderMarkdown(report: CompareReport): string {
  const agreement = agreementTable(report.agreement);
  const parts = [
    `# ${reportTitle(report)}`,
    '## Scenario',
    markdownTable(scenarioTable(report.scenario)),
    '## Machine',
    markdownTable(machineTable(report.machine)),
    '## Orchestrators',
    markdownTable(orchestratorTable(report.orchestrators)),
    "## The instrument's agreement",
    ...(agreement === null ? [NO_EXCLUSIVE_CGROUP] : [AGREEMENT_INTRO, markdownTable(agreement)]),
    '## Comparisons',
    ...orderedComparisons(report.comparisons).flatMap(comparisonSection),
  ];
  return `${parts.join('\n\n')}\n`;
}

/**
 * The comparison report as one self-contained HTML page: the Markdown's content (from
 * report-tables.ts) plus charts drawn here as inline SVG. No script, font, image or
 * request of any kind, so the file can be archived, mailed and opened offline, and its
 * Content-Security-Policy forbids loading anything should a future edit try.
 */
import type { Comparison } from './comparisons.js';
import { markup, type SafeHtml } from './html/escape.js';
import { tableHtml } from './html/html-table.js';
import { overviewChart } from './html/overview-chart.js';
import { PAGE_STYLE } from './html/page-style.js';
import { stripChart } from './html/strip-chart.js';
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
} from './report-tables.js';
import type { CompareReport } from './report-types.js';

// Belt and braces: should a later edit add a script, font or image, nothing loads.
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

function pairsHtml(title: string, comparison: Comparison, pairs: Comparison['tukey'] | null) {
  if (pairs === null || pairs.length === 0) return null;
  return markup`<h4>${title}</h4>
${tableHtml(pairTable(pairs, comparison.unit), 'pairs')}
`;
}

function comparisonHtml(comparison: Comparison): SafeHtml {
  const { flags, note, unit } = comparison;
  const lines = testLines(comparison);
  const groups =
    comparison.groups.length > 0
      ? tableHtml(groupTable(comparison), 'groups')
      : markup`<p class="muted">No orchestrator has two values to summarise.</p>`;
  const tests =
    lines.length > 0 &&
    markup`<ul class="tests">${lines.map((line) => markup`<li>${line}</li>`)}</ul>`;
  const flagged =
    flags.length > 0 &&
    markup`<h4>Flagged, outside physical bounds and left out</h4>
${tableHtml(flagTable(flags, unit), 'flags')}
`;
  return markup`<section class="comparison" data-service="${comparison.service}" data-metric="${comparison.metric}">
<h3>${comparisonTitle(comparison)}</h3>
${stripChart(comparison)}
${groups}
${tests}
${pairsHtml('Tukey HSD (equal variances assumed)', comparison, comparison.tukey)}${pairsHtml('Games-Howell (unequal variances)', comparison, comparison.gamesHowell)}${flagged}${note !== null && markup`<p class="note">Note: ${note}</p>\n`}</section>
`;
}

function agreementHtml(report: CompareReport): SafeHtml {
  const table = agreementTable(report.agreement);
  return table === null
    ? markup`<p>${NO_EXCLUSIVE_CGROUP}</p>`
    : markup`<p>${AGREEMENT_INTRO}</p>
${tableHtml(table, 'agreement')}`;
}

/** The whole report as one HTML document. */
export function renderHtml(report: CompareReport): string {
  const title = reportTitle(report);
  const compared = report.orchestrators
    .filter((one) => one.status === 'compared')
    .map((one) => one.name);
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main id="report">
<h1>${title}</h1>
<h2>Mean CPU per service</h2>
${overviewChart(report.comparisons, compared)}
<h2>Scenario</h2>
${tableHtml(scenarioTable(report.scenario), 'scenario')}
<h2>Machine</h2>
${tableHtml(machineTable(report.machine), 'machine')}
<h2>Orchestrators</h2>
${tableHtml(orchestratorTable(report.orchestrators), 'orchestrators')}
<h2>The instrument's agreement</h2>
${agreementHtml(report)}
<h2>Comparisons</h2>
${orderedComparisons(report.comparisons).map(comparisonHtml)}</main>
</body>
</html>
`.markup;
}

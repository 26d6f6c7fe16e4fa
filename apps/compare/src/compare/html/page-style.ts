import { SafeHtml } from './escape.js';

/**
 * The page's only style sheet, inline: the report is one file that opens anywhere,
 * offline, with nothing fetched (system fonts only).
 */
export const PAGE_STYLE = new SafeHtml(`
:root { color-scheme: light; --ink: #222; --muted: #666; --rule: #ddd; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 1px solid var(--rule); padding-bottom: 0.2em; }
h3 { margin-top: 2.2em; }
table { border-collapse: collapse; margin: 0.6em 0 1em; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.tests { margin: 0.4em 0 1em; padding-left: 1.2em; }
.note { background: #fff6e0; border-left: 4px solid #e0a800; padding: 6px 10px; }
.muted { color: var(--muted); }
svg.chart { display: block; max-width: 100%; height: auto; margin: 0.6em 0; font-size: 12px; }
svg .grid { stroke: #e6e6e6; }
svg .tick, svg .unit { fill: var(--muted); }
svg .name { fill: var(--ink); }
svg .dot { fill-opacity: 0.75; }
`);

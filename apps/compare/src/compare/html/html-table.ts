import type { TextTable } from '../report-tables.js';
import { markup, type SafeHtml } from './escape.js';

/** A report table as an HTML table; numeric columns right-aligned by the page's CSS. */
export function tableHtml(table: TextTable, className: string): SafeHtml {
  const align = (column: number) => (table.numeric[column] ? markup` class="num"` : null);
  const head = table.header.map((text, column) => markup`<th${align(column)}>${text}</th>`);
  const rows = table.rows.map(
    (row) =>
      markup`<tr>${row.map((text, column) => markup`<td${align(column)}>${text}</td>`)}</tr>\n`,
  );
  return markup`<table class="${className}">
<thead><tr>${head}</tr></thead>
<tbody>
${rows}</tbody>
</table>`;
}

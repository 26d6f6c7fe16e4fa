/**
 * Columns padded to their widest cell: the first `textColumns` left-aligned (names),
 * the rest right-aligned (numbers), two spaces apart.
 */
export function textTable(rows: readonly (readonly string[])[], textColumns = 1): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column < textColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Six significant digits, exponent notation for the very large and very small. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const size = Math.abs(value);
  if (size >= 1e7 || size < 1e-4) return value.toExponential(3);
  return String(Number(value.toPrecision(6)));
}

/**
 * A p-value; `floor` is the smallest the computation resolves (the studentized range's
 * `1 - cdf` stops near 1e-15; the F tail is exact down to 1e-300).
 */
export function formatP(p: number, floor = 0): string {
  if (p < floor) return `<${floor.toExponential(0)}`;
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

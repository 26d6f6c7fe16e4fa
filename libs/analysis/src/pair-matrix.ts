/** Values per (monitor, sensor) pair, keyed monitor first: `matrix[monitor][sensor]`. */
export type PairMatrix = Record<string, Record<string, number>>;

/** Mean of the values seen for each pair. */
export function meanMatrix(
  samples: readonly { monitor: string; sensor: string; value: number }[],
): PairMatrix {
  const sums = new Map<string, { monitor: string; sensor: string; sum: number; count: number }>();
  for (const { monitor, sensor, value } of samples) {
    if (!Number.isFinite(value)) continue;
    const key = `${monitor}\u0000${sensor}`;
    const entry = sums.get(key) ?? { monitor, sensor, sum: 0, count: 0 };
    entry.sum += value;
    entry.count += 1;
    sums.set(key, entry);
  }
  const matrix: PairMatrix = {};
  for (const { monitor, sensor, sum, count } of sums.values()) {
    (matrix[monitor] ??= {})[sensor] = sum / count;
  }
  return matrix;
}

/** Every value of pairs the node takes part in, as monitor or as sensor. */
export function valuesOfNode(matrix: PairMatrix, node: string): number[] {
  const values: number[] = [];
  for (const [monitor, row] of Object.entries(matrix)) {
    for (const [sensor, value] of Object.entries(row)) {
      if (monitor === node || sensor === node) values.push(value);
    }
  }
  return values;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Every pair (i, j) with i < j, in the order R's TukeyHSD and the seed list them. */
export function groupPairs<T>(groups: readonly T[]): Array<[T, T]> {
  const pairs: Array<[T, T]> = [];
  for (let i = 0; i < groups.length; i += 1) {
    for (let j = i + 1; j < groups.length; j += 1) pairs.push([groups[i], groups[j]]);
  }
  return pairs;
}

import { tQuantile } from './distributions.js';
import type {
  ConfidenceInterval,
  GroupDescription,
  GroupSummary,
  GroupValues,
} from './group-types.js';
import { checkSummaries, checkValueGroups } from './validate-groups.js';

/**
 * n, mean and sample standard deviation of one group's values. The values are taken
 * relative to the first one, and the squares summed in a second pass: a group of equal
 * values then has sd exactly 0 (0.1 + 0.1 + 0.1 is not 3 · 0.1), and a large offset
 * against a small spread (bytes counters) does not cancel the spread away.
 */
export function summariseValues(group: GroupValues): GroupSummary {
  const { values } = group;
  const n = values.length;
  const origin = values[0];
  const offset = values.reduce((sum, value) => sum + (value - origin), 0) / n;
  const squares = values.reduce((sum, value) => sum + (value - origin - offset) ** 2, 0);
  return { name: group.name, n, mean: origin + offset, sd: Math.sqrt(squares / (n - 1)) };
}

/**
 * The t-based confidence interval of a group's mean: mean ± t(1 - α/2, n - 1) · sd / √n.
 * (The seed used 1.96 in place of t, which is 4 % too narrow for n = 30.)
 */
export function meanConfidenceInterval(group: GroupSummary, level = 0.95): ConfidenceInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const halfWidth = tQuantile(1 - (1 - level) / 2, group.n - 1) * (group.sd / Math.sqrt(group.n));
  return { level, lower: group.mean - halfWidth, upper: group.mean + halfWidth, halfWidth };
}

/** Each group's n, mean, sd and the t-based CI of its mean, from summaries. */
export function describeSummaries(
  groups: readonly GroupSummary[],
  level = 0.95,
): GroupDescription[] {
  return checkSummaries(groups).map((group) => ({
    ...group,
    ci: meanConfidenceInterval(group, level),
  }));
}

/** Each group's n, mean, sd and the t-based CI of its mean, from raw values. */
export function describeValues(groups: readonly GroupValues[], level = 0.95): GroupDescription[] {
  return describeSummaries(checkValueGroups(groups).map(summariseValues), level);
}

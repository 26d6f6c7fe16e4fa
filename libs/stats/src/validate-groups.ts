/**
 * The checks every entry point runs before computing anything, so a bad group fails
 * loudly with its field named (`groups[1].sd: must be a number >= 0`) instead of
 * turning into NaN three formulas later. Plain checks rather than class-validator
 * classes: the same rules guard summaries parsed from a file and groups built in code
 * (the comparison feeds measured samples straight in), and both report the same way.
 */
import type { GroupSummary, GroupValues } from './group-types.js';
import { StatsInputError, type InputProblem } from './stats-input-error.js';

const SUMMARY_KEYS = new Set(['name', 'n', 'mean', 'sd']);
const VALUES_KEYS = new Set(['name', 'values']);
const MAX_NAME_LENGTH = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The rule a finite number breaks, or null; NaN and ±Infinity are named as such. */
function finiteNumberRule(value: unknown, rule: string): string | null {
  if (typeof value !== 'number') return `${rule} (got ${shown(value)})`;
  return Number.isFinite(value) ? null : `must be a finite number (got ${shown(value)})`;
}

/**
 * Checks the list itself, then each group in turn (its keys and name, then its own
 * fields through `checkFields`), so problems come out in the order of the input.
 * Returns the groups that are objects.
 */
function checkGroupList(
  input: unknown,
  field: string,
  keys: ReadonlySet<string>,
  shape: string,
  problems: InputProblem[],
  checkFields: (group: Record<string, unknown>, at: string) => void,
): Array<[Record<string, unknown>, string]> {
  if (!Array.isArray(input)) {
    problems.push({ field, rule: 'must be an array of at least 2 groups' });
    return [];
  }
  if (input.length < 2) {
    problems.push({ field, rule: `must have at least 2 groups (got ${input.length})` });
  }
  const groups: Array<[Record<string, unknown>, string]> = [];
  const firstByName = new Map<string, string>();
  input.forEach((group: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(group)) {
      problems.push({ field: at, rule: `must be an object ${shape}` });
      return;
    }
    for (const key of Object.keys(group)) {
      if (!keys.has(key)) problems.push({ field: `${at}.${key}`, rule: 'is not allowed' });
    }
    const name = group.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
      problems.push({
        field: `${at}.name`,
        rule: `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`,
      });
    } else if (firstByName.has(name)) {
      const first = firstByName.get(name)!;
      problems.push({ field: `${at}.name`, rule: `must be unique ("${name}" is also ${first})` });
    } else {
      firstByName.set(name, `${at}.name`);
    }
    checkFields(group, at);
    groups.push([group, at]);
  });
  return groups;
}

/**
 * Groups given by n, mean and sd, checked: at least 2 groups, unique non-empty names,
 * n an integer >= 2, a finite mean, a finite sd >= 0, no other fields. Returns plain
 * copies; throws one StatsInputError listing every problem.
 */
export function checkSummaries(input: unknown, field = 'groups'): GroupSummary[] {
  const problems: InputProblem[] = [];
  const groups = checkGroupList(
    input,
    field,
    SUMMARY_KEYS,
    '{name, n, mean, sd}',
    problems,
    (group, at) => {
      const { n, mean, sd } = group;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 2) {
        problems.push({ field: `${at}.n`, rule: `must be an integer >= 2 (got ${shown(n)})` });
      }
      const meanRule = finiteNumberRule(mean, 'must be a number');
      if (meanRule) problems.push({ field: `${at}.mean`, rule: meanRule });
      if (typeof sd !== 'number' || sd < 0) {
        problems.push({ field: `${at}.sd`, rule: `must be a number >= 0 (got ${shown(sd)})` });
      } else if (!Number.isFinite(sd)) {
        problems.push({ field: `${at}.sd`, rule: `must be a finite number (got ${shown(sd)})` });
      }
    },
  );
  if (problems.length > 0) throw new StatsInputError(problems);
  return groups.map(([group]) => ({
    name: group.name as string,
    n: group.n as number,
    mean: group.mean as number,
    sd: group.sd as number,
  }));
}

/**
 * Groups given by their raw samples, checked: at least 2 groups, unique non-empty names,
 * at least 2 values each, every value finite (the first bad one of a group is named).
 */
export function checkValueGroups(input: unknown, field = 'groups'): GroupValues[] {
  const problems: InputProblem[] = [];
  const groups = checkGroupList(
    input,
    field,
    VALUES_KEYS,
    '{name, values}',
    problems,
    (group, at) => {
      const values = group.values;
      if (!Array.isArray(values) || values.length < 2) {
        const got = Array.isArray(values) ? `${values.length} values` : shown(values);
        problems.push({
          field: `${at}.values`,
          rule: `must be an array of at least 2 numbers (got ${got})`,
        });
        return;
      }
      const bad = values.findIndex((value) => finiteNumberRule(value, 'must be a number') !== null);
      if (bad >= 0) {
        problems.push({
          field: `${at}.values[${bad}]`,
          rule: finiteNumberRule(values[bad], 'must be a number')!,
        });
      }
    },
  );
  if (problems.length > 0) throw new StatsInputError(problems);
  return groups.map(([group]) => ({
    name: group.name as string,
    values: [...(group.values as number[])],
  }));
}

/**
 * A summary file's content: `{"groups": [{"name", "n", "mean", "sd"}, ...]}` and
 * nothing else, checked as `checkSummaries` does.
 */
export function parseSummaryFile(content: unknown): GroupSummary[] {
  if (!isRecord(content)) {
    throw new StatsInputError([
      { field: 'summary', rule: 'must be a JSON object {"groups": [{name, n, mean, sd}, ...]}' },
    ]);
  }
  // Unknown top-level keys are reported together with the groups' own problems.
  const problems: InputProblem[] = Object.keys(content)
    .filter((key) => key !== 'groups')
    .map((key) => ({ field: key, rule: 'is not allowed' }));
  let groups: GroupSummary[] = [];
  try {
    groups = checkSummaries(content.groups, 'groups');
  } catch (error) {
    if (!(error instanceof StatsInputError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0) throw new StatsInputError(problems);
  return groups;
}

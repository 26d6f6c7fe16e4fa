import type { Problem } from '@meshmon/scheduling';
import { readTextFile, type Env, type FileReader, type Setting } from './setting.js';

/** A service's settings table: a name for each value, and the variable it is read from. */
export type SettingsTable = Readonly<Record<string, Setting<unknown>>>;

export type SettingsOf<T extends SettingsTable> = {
  readonly [K in keyof T]: T[K] extends Setting<infer V> ? V : never;
};

export interface ReadSettings<T extends SettingsTable> {
  /** Every value; where a setting had a problem, its default (or undefined if required). */
  readonly values: SettingsOf<T>;
  /** Every problem at once, each naming the variable and the rule, in table order. */
  readonly problems: Problem[];
  /** Which variable each value came from (`<variable>_FILE` for a secret read from a file). */
  readonly sources: Readonly<Record<keyof T, string>>;
}

/**
 * Reads a settings table from the environment: each variable trimmed, blank as unset, then
 * parsed by its setting. Never throws: the caller decides what the problems mean (a
 * service stops before it starts; a check across settings adds its own).
 */
export function readSettings<T extends SettingsTable>(
  env: Env,
  table: T,
  readFile: FileReader = readTextFile,
): ReadSettings<T> {
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const problems: Problem[] = [];
  for (const [key, setting] of Object.entries(table)) {
    const { text, source, problem } = textOf(env, setting, readFile);
    sources[key] = source;
    const fallback = setting.unset === 'required' ? undefined : setting.unset.value;
    if (problem) {
      problems.push(problem);
      values[key] = fallback;
    } else if (text === undefined) {
      if (setting.unset === 'required') problems.push({ field: source, rule: 'is required' });
      values[key] = fallback;
    } else {
      const parsed = setting.parse(text);
      if ('rule' in parsed) {
        problems.push({ field: source, rule: parsed.rule });
        values[key] = fallback;
      } else values[key] = parsed.value;
    }
  }
  return { values: values as SettingsOf<T>, problems, sources: sources as Record<keyof T, string> };
}

function textOf(
  env: Env,
  setting: Setting<unknown>,
  readFile: FileReader,
): { text: string | undefined; source: string; problem?: Problem } {
  const direct = blankAsUnset(env[setting.variable]);
  if (!setting.fromFile) return { text: direct, source: setting.variable };
  const fileVariable = `${setting.variable}_FILE`;
  const path = blankAsUnset(env[fileVariable]);
  if (path === undefined) return { text: direct, source: setting.variable };
  if (direct !== undefined) {
    const rule = `cannot be set together with ${setting.variable} (set one of them)`;
    return { text: undefined, source: fileVariable, problem: { field: fileVariable, rule } };
  }
  try {
    return { text: blankAsUnset(readFile(path)), source: fileVariable };
  } catch (error) {
    const why = (error as { code?: string }).code ?? (error as Error).message;
    const rule = `must name a readable file (${why}: "${path}")`;
    return { text: undefined, source: fileVariable, problem: { field: fileVariable, rule } };
  }
}

function blankAsUnset(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * Problems in the order of the table's variables, so that a check across settings (added
 * after readSettings) is listed where its variable is, not at the end.
 */
export function inTableOrder(table: SettingsTable, problems: readonly Problem[]): Problem[] {
  const order = Object.values(table).map((setting) => setting.variable);
  const rank = (problem: Problem) => {
    const index = order.findIndex((variable) => problem.field.startsWith(variable));
    return index === -1 ? order.length : index;
  };
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

import { readFileSync } from 'node:fs';

/** The environment a service reads its settings from. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The value of a setting's text, or the rule the text breaks. */
export type Parsed<T> = { readonly value: T } | { readonly rule: string };

/**
 * One MESHMON_* variable: its name, how its text becomes a value, and what an unset (or
 * blank) variable means. Declared once, in a table per service (see readSettings).
 */
export interface Setting<T> {
  readonly variable: string;
  /** The value when unset; `required` makes unset a problem. */
  readonly unset: { readonly value: T } | 'required';
  /** Called with the trimmed, non-empty text. */
  parse(text: string): Parsed<T>;
  /**
   * Where a secret may come from instead: the file named by `<variable>_FILE` (as
   * Kubernetes and Swarm mount secrets); its trimmed content is parsed like the variable.
   */
  readonly fromFile?: boolean;
  /** A secret's text is never repeated in a rule. */
  readonly secret?: boolean;
}

/**
 * What an integer setting accepts, for every service alike: decimal digits, with a leading
 * `-` only where the range allows negatives; no `+`, no spaces inside, no decimal point,
 * no exponent. `08` is 8.
 */
const INTEGER = /^-?\d+$/;
/** A plain decimal number: digits with an optional fraction (no sign, no exponent). */
const DECIMAL = /^\d+(\.\d+)?$/;

const got = (text: string) => `(got "${text}")`;

interface Unset<T> {
  /** The value when unset; omitted: the setting is required. */
  readonly default?: T;
}

const unsetOf = <T>(options: Unset<T>): Setting<T>['unset'] =>
  'default' in options ? { value: options.default as T } : 'required';

/** An integer in min..max (see INTEGER for the form). */
export function integerSetting(
  variable: string,
  options: Unset<number> & { readonly min: number; readonly max: number },
): Setting<number> {
  const { min, max } = options;
  return {
    variable,
    unset: unsetOf(options),
    parse: (text) => {
      const value = Number(text);
      return INTEGER.test(text) && value >= min && value <= max
        ? { value }
        : { rule: `must be an integer in ${min}..${max} ${got(text)}` };
    },
  };
}

/** A decimal number that `accepts` takes; `rule` says which. */
export function decimalSetting(
  variable: string,
  options: Unset<number> & { readonly accepts: (value: number) => boolean; readonly rule: string },
): Setting<number> {
  return {
    variable,
    unset: unsetOf(options),
    parse: (text) =>
      DECIMAL.test(text) && options.accepts(Number(text))
        ? { value: Number(text) }
        : { rule: `${options.rule} ${got(text)}` },
  };
}

/** Text matching `pattern`; `rule` says in words what that is. */
export function textSetting(
  variable: string,
  options: Unset<string> & { readonly pattern: RegExp; readonly rule: string },
): Setting<string> {
  return {
    variable,
    unset: unsetOf(options),
    parse: (text) =>
      options.pattern.test(text) ? { value: text } : { rule: `${options.rule} ${got(text)}` },
  };
}

/**
 * A file or directory path, or a command name looked up on PATH: anything printable,
 * since file names may hold spaces; only control characters (a pasted newline) are refused.
 */
export function pathSetting(variable: string, options: Unset<string>): Setting<string> {
  const rule = 'must be a path or command name (at most 4096 characters, no control characters)';
  return {
    variable,
    unset: unsetOf(options),
    parse: (text) =>
      text.length <= 4096 && ![...text].some((char) => char < ' ' || char === '\x7f')
        ? { value: text }
        : // JSON shows a control character as an escape, not as a broken line.
          { rule: `${rule} (got ${JSON.stringify(text.slice(0, 200))})` },
  };
}

/** One of a few words: "must be tcp or udp", or "must be one of a, b, c". */
export function choiceSetting<const C extends string>(
  variable: string,
  options: Unset<C> & { readonly choices: readonly C[]; readonly rule?: string },
): Setting<C> {
  const { choices } = options;
  const rule =
    options.rule ??
    (choices.length === 2
      ? `must be ${choices[0]} or ${choices[1]}`
      : `must be one of ${choices.join(', ')}`);
  return {
    variable,
    unset: unsetOf(options),
    parse: (text) =>
      (choices as readonly string[]).includes(text)
        ? { value: text as C }
        : { rule: `${rule} ${got(text)}` },
  };
}

/** on/off: true for on. */
export function switchSetting(variable: string, options: Unset<boolean>): Setting<boolean> {
  return mapped(
    choiceSetting(variable, { choices: ['on', 'off'], default: options.default ? 'on' : 'off' }),
    (text) => text === 'on',
  );
}

/** true/false. */
export function booleanSetting(variable: string, options: Unset<boolean>): Setting<boolean> {
  return mapped(
    choiceSetting(variable, {
      choices: ['true', 'false'],
      default: options.default ? 'true' : 'false',
    }),
    (text) => text === 'true',
  );
}

/** A URL with one of `schemes` (`nats:`, `http:`, ...). */
export function urlSetting(
  variable: string,
  options: Unset<string> & { readonly schemes: readonly string[] },
): Setting<string> {
  const rule = `must be a URL with scheme ${options.schemes.join(' or ')}`;
  return {
    variable,
    unset: unsetOf(options),
    parse: (text) =>
      URL.canParse(text) && options.schemes.includes(new URL(text).protocol)
        ? { value: text }
        : { rule: `${rule} ${got(text)}` },
  };
}

/**
 * A secret: from the variable, or from the file `<variable>_FILE` names (never both). Its
 * text is never repeated in a rule; an empty file counts as unset.
 */
export function secretSetting(
  variable: string,
  options: Unset<string | null> & { readonly pattern: RegExp; readonly rule: string },
): Setting<string | null> {
  return {
    variable,
    unset: unsetOf(options),
    fromFile: true,
    secret: true,
    parse: (text) => (options.pattern.test(text) ? { value: text } : { rule: options.rule }),
  };
}

/** Any other form: `parse` decides, from the trimmed text. */
export function customSetting<T>(
  variable: string,
  options: Unset<T> & { readonly parse: (text: string) => Parsed<T> },
): Setting<T> {
  return { variable, unset: unsetOf(options), parse: options.parse };
}

/** The same setting, but unset means null (not the default): "not configured here". */
export function optional<T>(setting: Setting<T>): Setting<T | null> {
  return { ...setting, unset: { value: null } };
}

/** The same setting with its value turned into another type. */
export function mapped<A, B>(setting: Setting<A>, map: (value: A) => B): Setting<B> {
  return {
    ...setting,
    unset: setting.unset === 'required' ? 'required' : { value: map(setting.unset.value) },
    parse: (text) => {
      const parsed = setting.parse(text);
      return 'rule' in parsed ? parsed : { value: map(parsed.value) };
    },
  };
}

/** Reads a secret file: its text, or throws (an ENOENT, an EACCES) saying why not. */
export type FileReader = (path: string) => string;

export const readTextFile: FileReader = (path) => readFileSync(path, 'utf8');

import { parseArgs } from 'node:util';
import { UsageError } from './errors/usage-error.js';

export interface FlagSpec {
  /** Flags that take a value (`--nodes 4` or `--nodes=4`); repeated ones keep every value. */
  readonly values: readonly string[];
  /** Flags without a value; `-h` stands for `--help`. */
  readonly switches: readonly string[];
  /** What an unknown flag or a stray word is told, e.g. "is not a lab flag; see lab --help". */
  readonly unknownRule: string;
  /** Value flags whose value may itself begin with `--`. */
  readonly dashValues?: readonly string[];
}

export interface Flags {
  /** Every value given to each flag, in order: the last one wins where one is wanted. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly switches: ReadonlySet<string>;
}

/**
 * A command line read against a fixed set of flags: node:util's parseArgs does the
 * tokenising (`--flag value`, `--flag=value`, `-h`), this turns what it accepts too
 * leniently into UsageErrors naming the flag: an unknown flag or stray word, a flag
 * without its value (also when the next word is another flag), a switch given a value.
 */
export function readFlags(argv: readonly string[], spec: FlagSpec): Flags {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
  > = {};
  for (const flag of spec.values) options[flag.slice(2)] = { type: 'string', multiple: true };
  for (const flag of spec.switches) {
    if (flag === '-h') continue;
    options[flag.slice(2)] = { type: 'boolean', ...(flag === '--help' ? { short: 'h' } : {}) };
  }
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(token.value, spec.unknownRule);
    if (token.kind === 'option-terminator') throw new UsageError('--', spec.unknownRule);
    const flag = token.rawName === '-h' ? '--help' : token.rawName;
    if (spec.values.includes(flag)) {
      const value = token.value;
      if (value === undefined || (value.startsWith('--') && !spec.dashValues?.includes(flag))) {
        throw new UsageError(flag, 'needs a value');
      }
      values.set(flag, [...(values.get(flag) ?? []), value]);
    } else if (
      spec.switches.includes(flag) ||
      (flag === '--help' && spec.switches.includes('-h'))
    ) {
      if (token.value !== undefined) throw new UsageError(flag, 'takes no value');
      switches.add(flag);
    } else {
      throw new UsageError(flag, spec.unknownRule);
    }
  }
  return { values, switches };
}

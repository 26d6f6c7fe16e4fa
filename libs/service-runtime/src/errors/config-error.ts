import type { Problem } from '@meshmon/scheduling';

/**
 * Bad configuration: every problem at once, each naming the variable and the rule, so an
 * operator fixes them in one go. The services print the message and exit 2.
 */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';

  constructor(readonly problems: readonly Problem[]) {
    super(problems.map((problem) => `${problem.field}: ${problem.rule}`).join('; '));
  }
}

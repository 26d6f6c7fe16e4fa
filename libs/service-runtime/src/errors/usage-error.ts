/** A bad command line: names the flag and the rule; the CLI prints it and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    readonly flag: string,
    readonly rule: string,
  ) {
    super(`${flag} ${rule}`);
  }
}

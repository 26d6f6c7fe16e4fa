/** One broken rule: the field in the input (`groups[1].sd`) and what it must be. */
export interface InputProblem {
  readonly field: string;
  readonly rule: string;
}

/**
 * Input the statistics cannot be computed from. Carries every problem found, so a bad
 * summary file is fixed in one go; the message reads `groups[1].sd: must be a number >= 0`.
 */
export class StatsInputError extends Error {
  override readonly name = 'StatsInputError';

  constructor(readonly problems: readonly InputProblem[]) {
    super(problems.map(({ field, rule }) => `${field}: ${rule}`).join('; '));
  }
}

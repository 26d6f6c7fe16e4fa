/** One group of an analysis by its summary statistics, as a report or a paper gives them. */
export interface GroupSummary {
  readonly name: string;
  /** Number of samples, at least 2 (a sample standard deviation needs two). */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1 in the denominator), >= 0. */
  readonly sd: number;
}

/** One group of an analysis by its raw samples. */
export interface GroupValues {
  readonly name: string;
  readonly values: readonly number[];
}

/** A confidence interval of a mean: mean ± halfWidth. */
export interface ConfidenceInterval {
  readonly level: number;
  readonly lower: number;
  readonly upper: number;
  readonly halfWidth: number;
}

/** A group's summary with the t-based confidence interval of its mean. */
export interface GroupDescription extends GroupSummary {
  readonly ci: ConfidenceInterval;
}

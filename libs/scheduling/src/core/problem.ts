/**
 * One problem with an input, the one shape every check in Meshmon reports: a setting, a
 * flag, a scheduler parameter, a NATS message, an HTTP body. `field` names where (the
 * variable, the flag, the dotted path), `rule` what it must be.
 */
export interface Problem {
  /** The variable, flag or dotted path (`message.slot.cycle`, `members.3`), or `(body)`. */
  readonly field: string;
  /** Human-readable and stable, e.g. `must be an integer >= 0`. */
  readonly rule: string;
}

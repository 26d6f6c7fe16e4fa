/** The transport protocols discovery counts; others (ICMP, SCTP, GRE) are skipped. */
export type FlowProtocol = 'tcp' | 'udp';

/** One end of a flow; `address` is in canonical text form (see normalizeAddress). */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** A connected socket of this network namespace, from /proc/net/{tcp,tcp6,udp,udp6}. */
export interface SocketFlow {
  readonly source: 'socket';
  readonly protocol: FlowProtocol;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** The kernel's state code (1 = ESTABLISHED; a connected UDP socket shows 1 too). */
  readonly state: number;
}

/**
 * A conntrack entry's original direction: who opened the flow (`src`) to whom (`dst`).
 * Either end may be this node, or neither when the namespace forwards traffic.
 */
export interface ConntrackFlow {
  readonly source: 'conntrack';
  readonly protocol: FlowProtocol;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** TCP's conntrack state (`ESTABLISHED`, `TIME_WAIT`, …); null for UDP. */
  readonly state: string | null;
}

export type Flow = SocketFlow | ConntrackFlow;

/**
 * Why one line of /proc or conntrack output was not understood. Parsers report these
 * instead of throwing, and keep parsing the other lines.
 */
export interface LineProblem {
  /** 1-based line number in the text handed to the parser. */
  readonly line: number;
  /** The column or key that broke the rule (`local_address`, `sport`, `(line)`). */
  readonly field: string;
  readonly rule: string;
}

export interface ParsedFlows<T extends Flow> {
  readonly flows: T[];
  /** At most MAX_LINE_PROBLEMS; `truncated` says when more were found. */
  readonly problems: LineProblem[];
  readonly truncated: boolean;
}

/** A parser keeps this many problems: a garbled file must not produce one per line. */
export const MAX_LINE_PROBLEMS = 20;
/** Lines read per text; a namespace with more sockets than this is not a Meshmon node. */
export const MAX_LINES = 200_000;

/** Collects flows and a bounded list of problems while a parser walks the lines. */
export class ParseCollector<T extends Flow> {
  readonly flows: T[] = [];
  readonly problems: LineProblem[] = [];
  truncated = false;

  problem(line: number, field: string, rule: string): void {
    if (this.problems.length < MAX_LINE_PROBLEMS) this.problems.push({ line, field, rule });
    else this.truncated = true;
  }

  result(): ParsedFlows<T> {
    return { flows: this.flows, problems: this.problems, truncated: this.truncated };
  }
}

/** The text's lines, at most MAX_LINES (the collector notes when some were left out). */
export function boundedLines(
  text: string,
  collector: Pick<ParseCollector<Flow>, 'problem'>,
): string[] {
  const lines = text.split('\n');
  if (lines.length <= MAX_LINES) return lines;
  collector.problem(MAX_LINES + 1, '(text)', `must have at most ${MAX_LINES} lines`);
  return lines.slice(0, MAX_LINES);
}

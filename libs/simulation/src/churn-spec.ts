export type ChurnAction = 'join' | 'leave' | 'crash';

export interface ChurnEvent {
  readonly action: ChurnAction;
  readonly node: string;
  readonly atSeconds: number;
}

export class ChurnSpecError extends Error {
  override readonly name = 'ChurnSpecError';
}

const ENTRY = /^(join|leave|crash):([A-Za-z0-9_.-]+)@(\d+(?:\.\d+)?)$/;

/**
 * Parses `join:n9@60,leave:n3@120,crash:n4@200`: at the given virtual second a node joins
 * (a new name, or one that left), leaves saying goodbye, or stops without a word.
 */
export function parseChurnSpec(spec: string): ChurnEvent[] {
  const trimmed = spec.trim();
  if (trimmed === '') return [];
  return trimmed.split(',').map((raw, index) => {
    const entry = raw.trim();
    const match = ENTRY.exec(entry);
    if (!match) {
      throw new ChurnSpecError(
        `entry ${index + 1} "${entry}" must look like <join|leave|crash>:<node>@<seconds>, e.g. crash:n4@200`,
      );
    }
    return { action: match[1] as ChurnAction, node: match[2], atSeconds: Number(match[3]) };
  });
}

/**
 * Checks the churn against the node set over time: only absent nodes join, only present
 * ones leave or crash. Returns the first problem, or null.
 */
export function churnProblem(
  events: readonly ChurnEvent[],
  initialNodes: readonly string[],
): string | null {
  const present = new Set(initialNodes);
  const ordered = [...events].sort((a, b) => a.atSeconds - b.atSeconds);
  for (const event of ordered) {
    const label = `${event.action}:${event.node}@${event.atSeconds}`;
    if (event.action === 'join') {
      if (present.has(event.node))
        return `${label}: ${event.node} is already a member at that time`;
      present.add(event.node);
    } else {
      if (!present.has(event.node)) return `${label}: ${event.node} is not a member at that time`;
      present.delete(event.node);
    }
  }
  return null;
}

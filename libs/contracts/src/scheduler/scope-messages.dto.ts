/**
 * Which pairs are measured (intents) and operator priority pins. The pair scope is a
 * small union on `mode`; it is checked in one class because `pairs` is only meaningful,
 * and only allowed, when `mode` is 'pairs'.
 */
import type { IntentsUpdate, PairScopeSpec, PriorityOverride } from '@meshmon/scheduling';
import { isNodeName, NODE_NAME_RULE } from '../names.js';
import {
  customRule,
  IsIntAtLeast,
  IsLiteral,
  IsNodeName,
  IsOneOf,
  Nested,
  withSubpath,
} from '../validation/rules.js';
import { MAX_SCOPE_PAIRS } from './limits.js';

const PAIRS_RULE = `must be an array of at most ${MAX_SCOPE_PAIRS} [monitor, sensor] pairs`;

function pairsProblem(mode: unknown, pairs: unknown): string | null {
  if (mode === 'all') return pairs === undefined ? null : "must be absent when mode is 'all'";
  // An invalid mode is reported on `mode`; nothing sensible to say about pairs then.
  if (mode !== 'pairs') return null;
  if (!Array.isArray(pairs) || pairs.length > MAX_SCOPE_PAIRS) return PAIRS_RULE;
  for (const [index, pair] of pairs.entries()) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      return withSubpath(index, 'must be a [monitor, sensor] pair of node names');
    }
    const bad = pair.findIndex((name) => !isNodeName(name));
    if (bad !== -1) return withSubpath(`${index}.${bad}`, NODE_NAME_RULE);
  }
  return null;
}

const IsScopePairs = (): PropertyDecorator =>
  customRule('isScopePairs', (value, args) =>
    pairsProblem((args.object as { mode?: unknown }).mode, value),
  );

export class PairScopeV1 {
  @IsOneOf(['all', 'pairs']) readonly mode!: 'all' | 'pairs';
  @IsScopePairs() readonly pairs?: readonly (readonly [string, string])[];
}

export class IntentsUpdateV1 implements IntentsUpdate {
  @IsLiteral('intents') readonly type!: 'intents';
  @Nested(() => PairScopeV1) readonly scope!: PairScopeSpec;
}

export class PriorityOverrideV1 implements PriorityOverride {
  @IsLiteral('priority-override') readonly type!: 'priority-override';
  @IsNodeName() readonly sensor!: string;
  /** null removes the pin. */
  @IsIntAtLeast(0, { orNull: true }) readonly priorityMs!: number | null;
}

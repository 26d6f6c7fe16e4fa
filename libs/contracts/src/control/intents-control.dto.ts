/**
 * `control.intents`: the hand-made intents changed. The message carries the whole list
 * (the gateway's Redis hash `manualIntentsKey` holds the same), so a controller never
 * has to merge partial updates: it replaces what it had.
 */
import { isNodeName, NODE_NAME_RULE } from '../names.js';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import { customRule, IsLiteral, IsNumberAtLeast, withSubpath } from '../validation/rules.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { MAX_SCOPE_PAIRS } from '../scheduler/limits.js';

export type NodePair = readonly [monitor: string, sensor: string];

export interface ManualIntents {
  readonly v: ContractVersion;
  readonly pairs: readonly NodePair[];
  readonly changedAtMs: number;
}

/** `[monitor, sensor]` pairs of distinct node names; the problem names the bad element. */
export function pairListProblem(value: unknown, maxPairs = MAX_SCOPE_PAIRS): string | null {
  if (!Array.isArray(value) || value.length > maxPairs) {
    return `must be an array of at most ${maxPairs} [monitor, sensor] pairs`;
  }
  for (const [index, pair] of value.entries()) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      return withSubpath(index, 'must be a [monitor, sensor] pair of node names');
    }
    const bad = pair.findIndex((name) => !isNodeName(name));
    if (bad !== -1) return withSubpath(`${index}.${bad}`, NODE_NAME_RULE);
    if (pair[0] === pair[1]) return withSubpath(index, 'must name two different nodes');
  }
  return null;
}

export const IsPairList = (): PropertyDecorator =>
  customRule('isPairList', (value) => pairListProblem(value));

export class ManualIntentsV1 implements ManualIntents {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsPairList() readonly pairs!: readonly NodePair[];
  @IsNumberAtLeast(0) readonly changedAtMs!: number;
}

export const ManualIntentsContract = defineContract<ManualIntents>(
  'manual intents',
  ManualIntentsV1,
);

export const decodeManualIntents = (payload: Uint8Array | string): Decoded<ManualIntents> =>
  decodeWith(ManualIntentsContract, payload);

export const encodeManualIntents = (intents: ManualIntents): Uint8Array =>
  encodeWith(ManualIntentsContract, intents);

/**
 * `control.scheduler`: start a scheduler run on every node service, or stop it. The
 * gateway also keeps the last order in Redis (`schedulerStateKey`, the same JSON), so a
 * service that starts later joins the run in force. `runId` travels in every scheduler
 * envelope of the run: a message from another run is dropped, so two algorithms never
 * talk to each other while the order spreads.
 */
import { ALGORITHM_NAMES, parseSchedulerParams, type AlgorithmName } from '@meshmon/scheduling';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import {
  customRule,
  IsLiteral,
  IsNumberAtLeast,
  IsOneOf,
  IsToken,
  withSubpath,
} from '../validation/rules.js';
import { unionOf } from '../validation/shape.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';

/** More than every scheduler parameter once; a longer list is a mistake or an attack. */
export const MAX_SCHEDULER_PARAMS = 64;

export interface SchedulerStart {
  readonly v: ContractVersion;
  readonly action: 'start';
  readonly runId: string;
  readonly algorithm: AlgorithmName;
  /** `name=value` over each service's defaults, as MESHMON_SCHEDULER_PARAMS takes them. */
  readonly params: readonly string[];
  readonly requestedAtMs: number;
}

export interface SchedulerStop {
  readonly v: ContractVersion;
  readonly action: 'stop';
  readonly runId: string;
  readonly requestedAtMs: number;
}

export type SchedulerControl = SchedulerStart | SchedulerStop;

const IsSchedulerParams = (): PropertyDecorator =>
  customRule('isSchedulerParams', (value) => {
    if (!Array.isArray(value) || value.length > MAX_SCHEDULER_PARAMS) {
      return `must be an array of at most ${MAX_SCHEDULER_PARAMS} name=value strings`;
    }
    for (const [index, param] of value.entries()) {
      if (typeof param !== 'string') return withSubpath(index, 'must be a name=value string');
      const parsed = parseSchedulerParams([param]);
      if ('problem' in parsed) return withSubpath(index, parsed.problem.rule);
    }
    return null;
  });

export class SchedulerStartV1 implements SchedulerStart {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsLiteral('start') readonly action!: 'start';
  @IsToken(64) readonly runId!: string;
  @IsOneOf(ALGORITHM_NAMES) readonly algorithm!: AlgorithmName;
  @IsSchedulerParams() readonly params!: readonly string[];
  @IsNumberAtLeast(0) readonly requestedAtMs!: number;
}

export class SchedulerStopV1 implements SchedulerStop {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsLiteral('stop') readonly action!: 'stop';
  @IsToken(64) readonly runId!: string;
  @IsNumberAtLeast(0) readonly requestedAtMs!: number;
}

export const SchedulerControlContract = defineContract<SchedulerControl>(
  'scheduler control',
  unionOf('action', { start: SchedulerStartV1, stop: SchedulerStopV1 }),
);

export const decodeSchedulerControl = (payload: Uint8Array | string): Decoded<SchedulerControl> =>
  decodeWith(SchedulerControlContract, payload);

export const encodeSchedulerControl = (control: SchedulerControl): Uint8Array =>
  encodeWith(SchedulerControlContract, control);

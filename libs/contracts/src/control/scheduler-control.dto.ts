/**
 * `control.scheduler`: start a scheduler run on every node service, or stop it. The
 * gateway also keeps the last order in Redis (`schedulerStateKey`, the same JSON), so a
 * service that starts later joins the run in force. `runId` travels in every scheduler
 * envelope of the run: a message from another run is dropped, so two algorithms never
 * talk to each other while the order spreads.
 */
import {
  ALGORITHM_NAMES,
  schedulerParamsProblems,
  type AlgorithmName,
  type SchedulerParams,
} from '@meshmon/scheduling';
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
export interface SchedulerStart {
  readonly v: ContractVersion;
  readonly action: 'start';
  readonly runId: string;
  readonly algorithm: AlgorithmName;
  /** Numbers by name, e.g. `{ "cps.listeningMs": 640 }`, over each service's own settings. */
  readonly params: SchedulerParams;
  readonly requestedAtMs: number;
}

export interface SchedulerStop {
  readonly v: ContractVersion;
  readonly action: 'stop';
  readonly runId: string;
  readonly requestedAtMs: number;
}

export type SchedulerControl = SchedulerStart | SchedulerStop;

/** Known names with finite numbers: the one check of parameters that crossed the wire. */
const IsSchedulerParams = (): PropertyDecorator =>
  customRule('isSchedulerParams', (value) => {
    const [problem] = schedulerParamsProblems(value);
    if (!problem) return null;
    return problem.field ? withSubpath(problem.field, problem.rule) : problem.rule;
  });

export class SchedulerStartV1 implements SchedulerStart {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsLiteral('start') readonly action!: 'start';
  @IsToken(64) readonly runId!: string;
  @IsOneOf(ALGORITHM_NAMES) readonly algorithm!: AlgorithmName;
  @IsSchedulerParams() readonly params!: SchedulerParams;
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

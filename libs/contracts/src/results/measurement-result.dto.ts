/**
 * One finished measurement, published by the monitor on `…results.<monitor>.<sensor>`
 * into the results stream (message id = measurementId, so a retried publish is stored
 * once). Failed probes are recorded too, with `ok: false`, an error and whatever figures
 * exist, so that gaps in the data can be told apart from pairs never scheduled.
 */
import { ALGORITHM_NAMES, type AlgorithmName } from '@meshmon/scheduling';
import { decodeWith, defineContract, encodeWith } from '../validation/codec.js';
import type { Decoded } from '../validation/problem.js';
import {
  IsClusterName,
  IsCode,
  IsIntAtLeast,
  IsLiteral,
  IsNodeName,
  IsNotBefore,
  IsNumberAtLeast,
  IsOneOf,
  IsText,
  IsToken,
  Nested,
} from '../validation/rules.js';
import { unionOf } from '../validation/shape.js';
import { CONTRACT_VERSION, type ContractVersion } from '../version.js';
import { MAX_ERROR_MESSAGE_LENGTH } from '../errors/error-codes.js';
import {
  CpuFiguresV1,
  ProbeParametersV1,
  RttFiguresV1,
  ThroughputFiguresV1,
  type CpuFigures,
  type ProbeParameters,
  type RttFigures,
  type ThroughputFigures,
} from './measurement-figures.dto.js';

export const PROBE_TOOLS = ['iperf3-tcp', 'iperf3-udp'] as const;

/** What ordered the measurement: a scheduler run's algorithm, or `manual` (the gateway). */
export const RESULT_ALGORITHMS: readonly string[] = [...ALGORITHM_NAMES, 'manual'];
export type ResultAlgorithm = AlgorithmName | 'manual';
export type ProbeToolName = (typeof PROBE_TOOLS)[number];

interface MeasurementFacts {
  readonly v: ContractVersion;
  readonly measurementId: string;
  readonly cluster: string;
  readonly monitor: string;
  readonly sensor: string;
  readonly algorithm: ResultAlgorithm;
  readonly tool: ProbeToolName;
  /** Monitor's wall clock, ms since the epoch. */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly parameters: ProbeParameters;
}

export interface MeasuredResult extends MeasurementFacts {
  readonly ok: true;
  /** The sensor lease's fencing token the probe ran under. */
  readonly fencingToken: number;
  readonly throughput: ThroughputFigures;
  readonly rtt: RttFigures | null;
  readonly cpu: CpuFigures;
}

export interface ProbeError {
  readonly code: string;
  readonly message: string;
}

export interface FailedResult extends MeasurementFacts {
  readonly ok: false;
  /** 0 when the probe failed before a lease was obtained. */
  readonly fencingToken: number;
  readonly throughput: ThroughputFigures | null;
  readonly rtt: RttFigures | null;
  readonly cpu: CpuFigures | null;
  readonly error: ProbeError;
}

export type MeasurementResult = MeasuredResult | FailedResult;

export class ProbeErrorV1 implements ProbeError {
  @IsCode() readonly code!: string;
  @IsText(MAX_ERROR_MESSAGE_LENGTH) readonly message!: string;
}

/** Fields both outcomes share; class-validator and class-transformer inherit decorators. */
abstract class MeasurementFactsV1 implements MeasurementFacts {
  @IsLiteral(CONTRACT_VERSION) readonly v!: ContractVersion;
  @IsToken() readonly measurementId!: string;
  @IsClusterName() readonly cluster!: string;
  @IsNodeName() readonly monitor!: string;
  @IsNodeName() readonly sensor!: string;
  @IsOneOf(RESULT_ALGORITHMS) readonly algorithm!: ResultAlgorithm;
  @IsOneOf(PROBE_TOOLS) readonly tool!: ProbeToolName;
  @IsNumberAtLeast(0) readonly startedAtMs!: number;
  @IsNotBefore('startedAtMs') readonly endedAtMs!: number;
  @Nested(() => ProbeParametersV1) readonly parameters!: ProbeParametersV1;
}

export class MeasuredResultV1 extends MeasurementFactsV1 implements MeasuredResult {
  @IsLiteral(true) readonly ok!: true;
  @IsIntAtLeast(1) readonly fencingToken!: number;
  @Nested(() => ThroughputFiguresV1) readonly throughput!: ThroughputFiguresV1;
  @Nested(() => RttFiguresV1, { orNull: true }) readonly rtt!: RttFiguresV1 | null;
  @Nested(() => CpuFiguresV1) readonly cpu!: CpuFiguresV1;
}

export class FailedResultV1 extends MeasurementFactsV1 implements FailedResult {
  @IsLiteral(false) readonly ok!: false;
  @IsIntAtLeast(0) readonly fencingToken!: number;
  @Nested(() => ThroughputFiguresV1, { orNull: true })
  readonly throughput!: ThroughputFiguresV1 | null;
  @Nested(() => RttFiguresV1, { orNull: true }) readonly rtt!: RttFiguresV1 | null;
  @Nested(() => CpuFiguresV1, { orNull: true }) readonly cpu!: CpuFiguresV1 | null;
  @Nested(() => ProbeErrorV1) readonly error!: ProbeErrorV1;
}

export const MeasurementResultContract = defineContract<MeasurementResult>(
  'measurement result',
  unionOf('ok', { true: MeasuredResultV1, false: FailedResultV1 }),
);

export const decodeMeasurementResult = (payload: Uint8Array | string): Decoded<MeasurementResult> =>
  decodeWith(MeasurementResultContract, payload);

export const encodeMeasurementResult = (result: MeasurementResult): Uint8Array =>
  encodeWith(MeasurementResultContract, result);

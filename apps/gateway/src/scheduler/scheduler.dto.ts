import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALGORITHM_NAMES,
  SCHEDULER_PARAM_PATHS,
  type AlgorithmName,
  type SchedulerParams,
} from '@meshmon/scheduling';
import { IsFiniteNumberField, IsOneOfField, Optional } from '../http/field-rules.js';

/**
 * `{ "algorithm": "cps", "cps.listeningMs": 640, ... }`: the algorithm and any scheduler
 * parameter by its dotted name. The parameter properties are declared from
 * SCHEDULER_PARAM_PATHS below, so a parameter the scheduler adds is accepted here (and
 * documented in OpenAPI) without touching this file, and any other key is refused.
 */
export class SchedulerStartDto {
  @ApiProperty({ enum: ALGORITHM_NAMES, example: 'cps' })
  @IsOneOfField(ALGORITHM_NAMES)
  readonly algorithm!: AlgorithmName;

  readonly [param: string]: unknown;
}

for (const path of SCHEDULER_PARAM_PATHS) {
  const target = SchedulerStartDto.prototype;
  ApiPropertyOptional({ type: Number, description: `scheduler parameter ${path}` })(target, path);
  Optional()(target, path);
  IsFiniteNumberField()(target, path);
}

export class SchedulerStartedDto {
  @ApiProperty({ type: String }) readonly runId!: string;
  @ApiProperty({ enum: ALGORITHM_NAMES }) readonly algorithm!: AlgorithmName;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { 'cps.listeningMs': 640 },
  })
  readonly params!: SchedulerParams;
  @ApiProperty({ type: Number }) readonly requestedAtMs!: number;
}

export class SchedulerStoppedDto {
  @ApiProperty({ type: String }) readonly runId!: string;
  @ApiProperty({ type: Number }) readonly requestedAtMs!: number;
}

/** No body is needed; any field sent is refused. */
export class SchedulerStopDto {}

export class SchedulerStateDto {
  @ApiProperty({ enum: ['running', 'stopped', 'unknown'] }) readonly state!: string;
  @ApiPropertyOptional({ type: String }) readonly runId?: string;
  @ApiPropertyOptional({ enum: ALGORITHM_NAMES }) readonly algorithm?: AlgorithmName;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' } })
  readonly params?: SchedulerParams;
  @ApiPropertyOptional({ type: Number }) readonly requestedAtMs?: number;
}

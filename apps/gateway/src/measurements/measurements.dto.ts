import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_MEASURE_WAIT_MS, PROBE_TOOLS, type ProbeToolName } from '@meshmon/contracts';
import { IsIntInRange, IsNodeNameField, IsOneOfField, Optional } from '../http/field-rules.js';

/** How long the monitor may wait for both nodes to be free when the client does not say. */
export const DEFAULT_MEASURE_WAIT_MS = 30_000;

export class MeasurementBodyDto {
  @ApiProperty({ type: String, example: 'node-1' }) @IsNodeNameField() readonly monitor!: string;
  @ApiProperty({ type: String, example: 'node-2' }) @IsNodeNameField() readonly sensor!: string;
  @ApiProperty({ enum: PROBE_TOOLS }) @IsOneOfField(PROBE_TOOLS) readonly tool!: ProbeToolName;
  @ApiPropertyOptional({
    type: Number,
    default: DEFAULT_MEASURE_WAIT_MS,
    maximum: MAX_MEASURE_WAIT_MS,
  })
  @Optional()
  @IsIntInRange(0, MAX_MEASURE_WAIT_MS)
  readonly waitMs?: number;
}

export class MeasurementReplyDto {
  @ApiProperty({ description: 'the MeasurementResult (libs/contracts)', type: Object })
  readonly result!: object;
}

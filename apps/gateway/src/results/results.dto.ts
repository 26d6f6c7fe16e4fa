import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBE_TOOLS, type ProbeToolName } from '@meshmon/contracts';
import {
  IsNodeNameField,
  IsOneOfField,
  IsTimeField,
  MatchesField,
  Optional,
  rule,
} from '../http/field-rules.js';

export const AGGREGATES = ['none', 'mean', 'median', 'min', 'max', 'p95'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const MAX_RESULTS_LIMIT = 10_000;
export const DEFAULT_RESULTS_LIMIT = 1000;
/** `1m`, `30s`, `2h`, `1d`: an InfluxQL duration of one unit, at most 1 to 9999. */
export const INTERVAL_PATTERN = /^[1-9]\d{0,3}(s|m|h|d)$/;

/** Query strings arrive as text; the service converts after validation. */
export class ResultsQueryDto {
  @ApiPropertyOptional({ type: String }) @Optional() @IsNodeNameField() readonly monitor?: string;
  @ApiPropertyOptional({ type: String }) @Optional() @IsNodeNameField() readonly sensor?: string;
  @ApiPropertyOptional({ enum: PROBE_TOOLS })
  @Optional()
  @IsOneOfField(PROBE_TOOLS)
  readonly tool?: ProbeToolName;
  @ApiPropertyOptional({
    type: String,
    description: 'ms since the epoch or ISO 8601; default: an hour ago',
  })
  @Optional()
  @IsTimeField()
  readonly from?: string;
  @ApiPropertyOptional({
    type: String,
    description: 'ms since the epoch or ISO 8601; default: now',
  })
  @Optional()
  @IsTimeField()
  readonly to?: string;
  @ApiPropertyOptional({ enum: AGGREGATES, default: 'none' })
  @Optional()
  @IsOneOfField(AGGREGATES)
  readonly aggregate?: Aggregate;
  @ApiPropertyOptional({
    type: String,
    example: '1m',
    description: 'with an aggregate: one point per interval',
  })
  @Optional()
  @MatchesField(
    INTERVAL_PATTERN,
    'must be a duration such as 30s, 1m, 2h or 1d (1-9999 of s, m, h, d)',
  )
  readonly interval?: string;
  @ApiPropertyOptional({ type: String, default: DEFAULT_RESULTS_LIMIT, maximum: MAX_RESULTS_LIMIT })
  @Optional()
  @rule('isLimit', (value) =>
    typeof value === 'string' &&
    /^\d{1,5}$/.test(value) &&
    Number(value) >= 1 &&
    Number(value) <= MAX_RESULTS_LIMIT
      ? null
      : `must be an integer in 1..${MAX_RESULTS_LIMIT}`,
  )
  readonly limit?: string;
}

export class ResultPointDto {
  @ApiProperty({ type: Number }) readonly timeMs!: number;
  @ApiProperty({ type: String }) readonly monitor!: string;
  @ApiProperty({ type: String }) readonly sensor!: string;
  @ApiProperty({ type: String }) readonly tool!: string;
  @ApiProperty({ type: Number, nullable: true }) readonly bitsPerSecond!: number | null;
  @ApiProperty({ type: Number, nullable: true }) readonly rttAvgMs!: number | null;
}

export class ResultsDto {
  @ApiProperty({
    type: [ResultPointDto],
    description: 'newest first; raw points carry every stored field in camelCase',
  })
  readonly results!: ResultPointDto[];
}

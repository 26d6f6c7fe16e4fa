import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOneOfField, MatchesField, Optional } from '../http/field-rules.js';

export const OUTLIER_METRICS = ['throughput', 'rtt'] as const;
export type OutlierMetricName = (typeof OUTLIER_METRICS)[number];

export class OutliersQueryDto {
  @ApiPropertyOptional({ enum: OUTLIER_METRICS, default: 'throughput' })
  @Optional()
  @IsOneOfField(OUTLIER_METRICS)
  readonly metric?: OutlierMetricName;
  @ApiPropertyOptional({
    type: String,
    description:
      'ratio to the cluster median: throughput in (0, 1), default 0.75; rtt above 1, default 1.5',
  })
  @Optional()
  @MatchesField(/^\d{1,6}(\.\d{1,6})?$/, 'must be a decimal number such as 0.75 or 1.5')
  readonly threshold?: string;
}

class NodeOutlierDto {
  @ApiProperty({ type: String }) readonly node!: string;
  @ApiProperty({ type: String, nullable: true }) readonly role!: string | null;
  @ApiProperty({ type: Number }) readonly median!: number;
  @ApiProperty({ type: Number }) readonly clusterMedian!: number;
  @ApiProperty({ type: Number }) readonly ratio!: number;
}

class PairOutlierDto {
  @ApiProperty({ type: String }) readonly monitor!: string;
  @ApiProperty({ type: String }) readonly sensor!: string;
  @ApiProperty({ type: Number }) readonly value!: number;
  @ApiProperty({ type: Number }) readonly clusterMedian!: number;
  @ApiProperty({ type: Number }) readonly ratio!: number;
}

export class OutliersDto {
  @ApiProperty({ enum: OUTLIER_METRICS }) readonly metric!: OutlierMetricName;
  @ApiProperty({ type: String }) readonly rule!: string;
  @ApiProperty({ type: Number }) readonly threshold!: number;
  @ApiProperty({ type: [NodeOutlierDto] }) readonly nodes!: NodeOutlierDto[];
  @ApiProperty({ type: [PairOutlierDto] }) readonly pairs!: PairOutlierDto[];
}

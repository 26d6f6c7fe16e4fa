import { ApiProperty } from '@nestjs/swagger';

class CoveragePointDto {
  @ApiProperty({ type: Number }) readonly atMs!: number;
  @ApiProperty({ type: Number }) readonly coverage!: number;
}

export class CoverageDto {
  @ApiProperty({ type: String, nullable: true }) readonly runId!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly algorithm!: string | null;
  @ApiProperty({ type: Number, nullable: true }) readonly startedAtMs!: number | null;
  @ApiProperty({ type: Number }) readonly nodes!: number;
  @ApiProperty({ type: Number }) readonly pairsInScope!: number;
  @ApiProperty({ type: Number }) readonly pairsMeasured!: number;
  @ApiProperty({ type: Number, minimum: 0, maximum: 1 }) readonly coverage!: number;
  @ApiProperty({ type: Number, nullable: true }) readonly timeToFullCoverageMs!: number | null;
  @ApiProperty({ type: Number, nullable: true }) readonly meanWaitMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'std. dev. of per-pair counts' })
  readonly fairness!: number | null;
  @ApiProperty({ type: [CoveragePointDto] }) readonly history!: CoveragePointDto[];
}

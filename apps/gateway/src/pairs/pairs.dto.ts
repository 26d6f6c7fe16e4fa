import { ApiProperty } from '@nestjs/swagger';
import { IsIntInRange, IsNodeNameField } from '../http/field-rules.js';

export class PairParamsDto {
  @ApiProperty({ type: String, example: 'node-1' }) @IsNodeNameField() readonly monitor!: string;
  @ApiProperty({ type: String, example: 'node-2' }) @IsNodeNameField() readonly sensor!: string;
}

export class PriorityBodyDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 60000,
    description: 'null removes the pin',
  })
  @IsIntInRange(0, Number.MAX_SAFE_INTEGER, { orNull: true })
  readonly priorityMs!: number | null;
}

export class PairDto {
  @ApiProperty({ type: String }) readonly monitor!: string;
  @ApiProperty({ type: String }) readonly sensor!: string;
  @ApiProperty({ type: Boolean }) readonly inScope!: boolean;
  @ApiProperty({ type: Number, nullable: true }) readonly lastMeasuredMs!: number | null;
  @ApiProperty({
    type: Number,
    description: 'pinned priority, else ms since last measured (or since both nodes were seen)',
  })
  readonly priorityMs!: number;
  @ApiProperty({ type: Boolean }) readonly pinned!: boolean;
  @ApiProperty({ type: Number, description: 'results received (good or failed)' })
  readonly count!: number;
  @ApiProperty({ type: Number, nullable: true }) readonly lastBitsPerSecond!: number | null;
  @ApiProperty({ type: Number, nullable: true }) readonly lastRttMs!: number | null;
}

export class PairsDto {
  @ApiProperty({ type: [PairDto] }) readonly pairs!: PairDto[];
}

export class PriorityDto {
  @ApiProperty({ type: String }) readonly monitor!: string;
  @ApiProperty({ type: String }) readonly sensor!: string;
  @ApiProperty({ type: Number, nullable: true }) readonly priorityMs!: number | null;
  @ApiProperty({ type: Boolean }) readonly pinned!: boolean;
}

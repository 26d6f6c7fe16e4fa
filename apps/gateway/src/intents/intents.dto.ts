import { ApiProperty } from '@nestjs/swagger';
import { IsNodeNameField } from '../http/field-rules.js';

export class IntentBodyDto {
  @ApiProperty({ type: String, example: 'node-1' }) @IsNodeNameField() readonly monitor!: string;
  @ApiProperty({ type: String, example: 'node-2' }) @IsNodeNameField() readonly sensor!: string;
}

export class IntentDto {
  @ApiProperty({ type: String }) readonly monitor!: string;
  @ApiProperty({ type: String }) readonly sensor!: string;
  @ApiProperty({ enum: ['manual', 'discovered'] }) readonly source!: 'manual' | 'discovered';
  @ApiProperty({ type: Number }) readonly sinceMs!: number;
}

export class IntentsDto {
  @ApiProperty({ enum: ['all', 'intents'] }) readonly mode!: 'all' | 'intents';
  @ApiProperty({ type: [IntentDto] }) readonly intents!: IntentDto[];
}

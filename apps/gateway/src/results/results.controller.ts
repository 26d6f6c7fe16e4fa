import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ResultsDto, ResultsQueryDto } from './results.dto.js';
import { ResultsService } from './results.service.js';
import { ValidQuery } from '../http/api-validation.pipe.js';

@ApiTags('results')
@ApiBearerAuth()
@Controller('api/v1/results')
export class ResultsController {
  constructor(@Inject(ResultsService) private readonly results: ResultsService) {}

  @Get()
  @ApiOkResponse({ type: ResultsDto })
  query(
    @ValidQuery(ResultsQueryDto) query: ResultsQueryDto,
  ): Promise<{ results: Record<string, unknown>[] }> {
    return this.results.query(query);
  }
}

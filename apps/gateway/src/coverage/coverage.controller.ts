import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CoverageReport } from '../view/coverage-tracker.js';
import { CoverageDto } from './coverage.dto.js';
import { CoverageSampler } from './coverage.sampler.js';

@ApiTags('coverage')
@ApiBearerAuth()
@Controller('api/v1/coverage')
export class CoverageController {
  constructor(@Inject(CoverageSampler) private readonly sampler: CoverageSampler) {}

  @Get()
  @ApiOkResponse({ type: CoverageDto })
  coverage(): CoverageReport {
    return this.sampler.report();
  }
}

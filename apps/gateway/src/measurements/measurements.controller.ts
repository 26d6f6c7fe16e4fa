import { Controller, HttpCode, Post, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiBody } from '@nestjs/swagger';
import type { MeasurementResult } from '@meshmon/contracts';
import { MeasurementBodyDto, MeasurementReplyDto } from './measurements.dto.js';
import { MeasurementsService } from './measurements.service.js';
import { ValidBody } from '../http/api-validation.pipe.js';

@ApiTags('measurements')
@ApiBearerAuth()
@Controller('api/v1/measurements')
export class MeasurementsController {
  constructor(@Inject(MeasurementsService) private readonly measurements: MeasurementsService) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: MeasurementReplyDto })
  @ApiBody({ type: MeasurementBodyDto })
  measure(
    @ValidBody(MeasurementBodyDto) body: MeasurementBodyDto,
  ): Promise<{ result: MeasurementResult }> {
    return this.measurements.measure(body);
  }
}

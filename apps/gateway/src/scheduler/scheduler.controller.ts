import { Body, Controller, Get, HttpCode, Post, Inject } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { BODY_FIELD } from '@meshmon/contracts';
import { ApiError } from '../http/api-error.js';
import {
  SchedulerStartDto,
  SchedulerStartedDto,
  SchedulerStateDto,
  SchedulerStopDto,
  SchedulerStoppedDto,
} from './scheduler.dto.js';
import { SchedulerService } from './scheduler.service.js';
import { ValidBody } from '../http/api-validation.pipe.js';

@ApiTags('scheduler')
@ApiBearerAuth()
@Controller('api/v1/scheduler')
export class SchedulerController {
  constructor(@Inject(SchedulerService) private readonly scheduler: SchedulerService) {}

  @Post('start')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: SchedulerStartedDto })
  @ApiBody({ type: SchedulerStartDto })
  start(@ValidBody(SchedulerStartDto) body: SchedulerStartDto): Promise<SchedulerStartedDto> {
    return this.scheduler.start(body);
  }

  @Post('stop')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: SchedulerStoppedDto })
  @ApiBody({ required: false, type: SchedulerStopDto })
  stop(@Body() body: unknown): Promise<SchedulerStoppedDto> {
    // A class without fields cannot go through class-validator (it counts as unknown), so
    // the "no fields" rule is checked here.
    refuseAnyField(body);
    return this.scheduler.stop();
  }

  @Get()
  @ApiOkResponse({ type: SchedulerStateDto })
  state(): Promise<SchedulerStateDto> {
    return this.scheduler.state();
  }
}

function refuseAnyField(body: unknown): void {
  if (body === undefined) return;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.invalid([{ field: BODY_FIELD, rule: 'must be a JSON object' }]);
  }
  const keys = Object.keys(body);
  if (keys.length > 0)
    throw ApiError.invalid(keys.map((field) => ({ field, rule: 'is not allowed' })));
}

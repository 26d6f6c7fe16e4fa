import { Controller, Get, Put, Res, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiBody } from '@nestjs/swagger';
import type { Response } from 'express';
import { PairParamsDto, PairsDto, PriorityBodyDto, PriorityDto } from './pairs.dto.js';
import { PairsService } from './pairs.service.js';
import { ValidBody, ValidParams } from '../http/api-validation.pipe.js';

@ApiTags('pairs')
@ApiBearerAuth()
@Controller('api/v1/pairs')
export class PairsController {
  constructor(@Inject(PairsService) private readonly pairs: PairsService) {}

  @Get()
  @ApiOkResponse({ type: PairsDto })
  list(@Res() response: Response): void {
    const body = this.pairs.pairsJson();
    response.status(200).set({
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(body.length),
    });
    response.end(body);
  }

  @Put(':monitor/:sensor/priority')
  @ApiOkResponse({ type: PriorityDto })
  @ApiBody({ type: PriorityBodyDto })
  setPriority(
    @ValidParams(PairParamsDto) params: PairParamsDto,
    @ValidBody(PriorityBodyDto) body: PriorityBodyDto,
  ): Promise<PriorityDto> {
    return this.pairs.setPriority(params.monitor, params.sensor, body.priorityMs);
  }
}

import { Controller, Delete, Get, HttpCode, Post, Inject } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiBody,
} from '@nestjs/swagger';
import { ApiError } from '../http/api-error.js';
import { PairParamsDto } from '../pairs/pairs.dto.js';
import { requireKnownPair } from '../view/known-pair.js';
import { LiveView } from '../view/live-view.js';
import { IntentBodyDto, IntentDto, IntentsDto } from './intents.dto.js';
import { IntentsStore } from './intents.store.js';
import { ValidBody, ValidParams } from '../http/api-validation.pipe.js';

@ApiTags('intents')
@ApiBearerAuth()
@Controller('api/v1/intents')
export class IntentsController {
  constructor(
    @Inject(IntentsStore) private readonly store: IntentsStore,
    @Inject(LiveView) private readonly view: LiveView,
  ) {}

  @Get()
  @ApiOkResponse({ type: IntentsDto })
  async list(): Promise<IntentsDto> {
    const { mode, intents } = await this.store.read();
    return { mode, intents: [...intents] };
  }

  @Post()
  @ApiCreatedResponse({ type: IntentDto })
  @ApiBody({ type: IntentBodyDto })
  async add(@ValidBody(IntentBodyDto) body: IntentBodyDto): Promise<IntentDto> {
    requireKnownPair(this.view, body.monitor, body.sensor);
    return this.store.add(body.monitor, body.sensor, Date.now());
  }

  @Delete(':monitor/:sensor')
  @HttpCode(204)
  async remove(@ValidParams(PairParamsDto) params: PairParamsDto): Promise<void> {
    if (!(await this.store.remove(params.monitor, params.sensor))) {
      throw ApiError.notFound('sensor', `has no hand-made intent with monitor "${params.monitor}"`);
    }
  }
}

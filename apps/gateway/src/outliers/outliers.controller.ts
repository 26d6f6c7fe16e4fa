import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OutliersDto, OutliersQueryDto } from './outliers.dto.js';
import { OutliersService } from './outliers.service.js';
import { ValidQuery } from '../http/api-validation.pipe.js';

@ApiTags('outliers')
@ApiBearerAuth()
@Controller('api/v1/outliers')
export class OutliersController {
  constructor(@Inject(OutliersService) private readonly outliers: OutliersService) {}

  @Get()
  @ApiOkResponse({ type: OutliersDto })
  find(@ValidQuery(OutliersQueryDto) query: OutliersQueryDto): OutliersDto {
    return this.outliers.find(query);
  }
}

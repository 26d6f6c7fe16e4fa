import { Module } from '@nestjs/common';
import { PairsController } from './pairs.controller.js';
import { PairsService } from './pairs.service.js';

@Module({ controllers: [PairsController], providers: [PairsService] })
export class PairsModule {}

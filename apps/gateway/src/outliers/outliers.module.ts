import { Module } from '@nestjs/common';
import { OutliersController } from './outliers.controller.js';
import { OutliersService } from './outliers.service.js';

@Module({ controllers: [OutliersController], providers: [OutliersService] })
export class OutliersModule {}

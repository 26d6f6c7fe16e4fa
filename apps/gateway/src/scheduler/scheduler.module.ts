import { Module } from '@nestjs/common';
import { SchedulerController } from './scheduler.controller.js';
import { SchedulerService } from './scheduler.service.js';

@Module({ controllers: [SchedulerController], providers: [SchedulerService] })
export class SchedulerModule {}

import { Module } from '@nestjs/common';
import { IntentsController } from './intents.controller.js';

@Module({ controllers: [IntentsController] })
export class IntentsModule {}

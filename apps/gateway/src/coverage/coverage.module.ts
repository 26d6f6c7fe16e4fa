import { Module } from '@nestjs/common';
import { CoverageController } from './coverage.controller.js';
import { CoverageSampler } from './coverage.sampler.js';

@Module({ controllers: [CoverageController], providers: [CoverageSampler] })
export class CoverageModule {}

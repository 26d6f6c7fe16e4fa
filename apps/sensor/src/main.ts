import 'reflect-metadata';
import { runNodeService } from '@meshmon/node-agent';
import { SensorModule } from './sensor.module.js';

await runNodeService('sensor', (runtime) => SensorModule.register(runtime));

import 'reflect-metadata';
import { runNodeService } from '@meshmon/node-agent';
import { ControllerModule } from './controller.module.js';

await runNodeService('controller', (runtime) => ControllerModule.register(runtime));

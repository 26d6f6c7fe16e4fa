import 'reflect-metadata';
import { runNodeService } from '@meshmon/node-agent';
import { MonitorModule } from './monitor.module.js';

await runNodeService('monitor', (runtime) => MonitorModule.register(runtime));

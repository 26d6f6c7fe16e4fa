import { runFlowDiscovery } from './bootstrap.js';

await runFlowDiscovery();

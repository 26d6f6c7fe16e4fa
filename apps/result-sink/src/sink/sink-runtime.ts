import type { ServiceBase } from '@meshmon/service-runtime';
import type { SinkConfig } from '../config/sink-config.js';

/** What the service runtime opens before Nest starts; the module's providers share it. */
export type SinkRuntime = ServiceBase<SinkConfig>;

export const SINK_RUNTIME = Symbol('SINK_RUNTIME');

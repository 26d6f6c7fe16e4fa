import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { FLOW_DISCOVERY_RUNTIME, type FlowDiscoveryRuntime } from './flow-discovery.runtime.js';

/**
 * The NATS connection is opened by bootstrap (before Nest, so a missing server is a
 * boot error) and closed here, last: the loop and the listener have stopped in
 * onModuleDestroy, then service-stopping goes out, then the connection is drained.
 */
@Injectable()
export class NatsLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(@Inject(FLOW_DISCOVERY_RUNTIME) private readonly runtime: FlowDiscoveryRuntime) {}

  beforeApplicationShutdown(): void {
    this.runtime.events.publish({ type: 'service-stopping' });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.runtime.connection.isClosed()) return;
    await this.runtime.connection.drain().catch(() => this.runtime.connection.close());
  }
}

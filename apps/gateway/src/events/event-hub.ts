import { Logger } from '@nestjs/common';

/** One message for SSE clients: the SSE event type and the NATS message's JSON text. */
export interface RelayedMessage {
  readonly type: string;
  readonly json: string;
}

export type RelayListener = (message: RelayedMessage) => void;

/**
 * Fan-out from the NATS subscriptions to the SSE clients. Listeners are called
 * synchronously and must not throw or block: each SSE client buffers on its own and is
 * dropped when it falls behind.
 */
export class EventHub {
  private readonly logger = new Logger(EventHub.name);
  private readonly listeners = new Set<RelayListener>();

  subscribe(listener: RelayListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  publish(message: RelayedMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        // A failing client must not stop the others from getting the message.
        this.listeners.delete(listener);
        this.logger.error(`SSE listener failed and was removed: ${String(error)}`);
      }
    }
  }
}

import type { NatsConnection } from '@nats-io/transport-node';
import { encodeSchedulerEnvelope, type Subjects } from '@meshmon/contracts';
import type {
  Address,
  Effect,
  ModuleKind,
  ProbeOrder,
  SchedulerMessage,
} from '@meshmon/scheduling';
import type { EventPublisher } from '@meshmon/service-runtime';

export interface EffectHooks {
  /** Claims a `send` before it is published (e.g. the sensor answering a pending request). */
  readonly send?: (to: Address, message: SchedulerMessage) => boolean;
  readonly probe?: (order: ProbeOrder) => void;
}

/**
 * Turns a machine's effects into NATS traffic: sends to the addressee's node subject,
 * broadcasts to the module's broadcast subject, scheduler events to the events subjects.
 */
export class EffectRouter {
  constructor(
    private readonly connection: NatsConnection,
    private readonly subjects: Subjects,
    private readonly from: Address,
    private readonly events: EventPublisher,
    private readonly hooks: EffectHooks = {},
    /** The scheduler run every envelope is stamped with (see RunHost). */
    private readonly run: string | null = null,
  ) {}

  route(effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send':
          if (!this.hooks.send?.(effect.to, effect.message)) this.send(effect.to, effect.message);
          break;
        case 'broadcast':
          this.broadcast(effect.module, effect.message);
          break;
        case 'event':
          this.events.publish(effect.event);
          break;
        case 'probe-start':
          if (this.hooks.probe) this.hooks.probe(effect.probe);
          else
            this.events.error({
              subject: '',
              code: 'unexpected-effect',
              message: `${this.from.module} ${this.from.node} cannot run probes`,
            });
          break;
      }
    }
  }

  send(to: Address, message: SchedulerMessage): void {
    this.publish(this.subjects.schedulerMessage(to.node, to.module, message.type), message);
  }

  broadcast(module: ModuleKind, message: SchedulerMessage): void {
    this.publish(this.subjects.broadcast(module, message.type), message);
  }

  envelope(message: SchedulerMessage): Uint8Array {
    return encodeSchedulerEnvelope(this.from, message, Date.now(), this.run);
  }

  private publish(subject: string, message: SchedulerMessage): void {
    if (this.connection.isClosed()) return;
    try {
      this.connection.publish(subject, this.envelope(message));
    } catch (error) {
      this.events.error({
        subject,
        code: 'publish-failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

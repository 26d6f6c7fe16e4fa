import { BaseRpcContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Msg, NatsConnection, Status, Subscription } from '@nats-io/transport-node';
import { lastValueFrom } from 'rxjs';
import {
  encodeErrorReply,
  errorReply,
  ErrorCodes,
  decodeFlowMap,
  decodeManualIntents,
  decodeMeasureRequest,
  decodeSchedulerControl,
  decodeSchedulerEnvelope,
  decodeServerStartRequest,
  decodeServerStopRequest,
  type Subjects,
} from '@meshmon/contracts';
import type { ModuleKind } from '@meshmon/scheduling';
import type { EventPublisher, Problem } from '@meshmon/service-runtime';

/** The logical patterns the node services' handlers declare with @EventPattern / @MessagePattern. */
export const Patterns = {
  /** Any scheduler message for this module, addressed to this node or broadcast. */
  schedulerMessage: 'scheduler-message',
  /** A monitor's slot request sent as NATS request-reply: the handler's value is the answer. */
  slotRequest: 'slot-request',
  serverStart: 'server.start',
  serverStop: 'server.stop',
  /** Cluster-wide scheduler start / stop (every module). */
  schedulerControl: 'control.scheduler',
  /** The hand-made intents changed (controllers). */
  intentsControl: 'control.intents',
  /** A measurement now (monitors, request-reply). */
  measure: 'measure',
  /** This node's flow map (controllers, for discovery mode). */
  flows: 'flows',
} as const;

/** The context handed to handlers: the NATS subject and whether a reply is expected. */
export class MeshmonContext extends BaseRpcContext<[string, string | undefined]> {
  get subject(): string {
    return this.args[0];
  }
}

const encoder = new TextEncoder();

/**
 * A NestJS microservice transport over NATS for one module of one node. It subscribes to
 * that module's own subjects (`meshmon.<c>.v1.node.<node>.<module>.>`) and its broadcasts,
 * validates every message with the contracts library before any handler sees it, and
 * answers requests. Nest's stock NATS transport cannot do this: its patterns are fixed at
 * compile time, while these subjects carry the node name. Invalid input never reaches a
 * handler and never crashes the service: requests get an error reply, events an error event.
 */
/** Nest's transport events: one per NATS client status type, with that status. */
type StatusEvents = {
  [K in Status['type']]: (status: Extract<Status, { type: K }>) => void;
};

export class MeshmonTransport
  extends Server<StatusEvents, Status['type']>
  implements CustomTransportStrategy
{
  private subscriptions: Subscription[] = [];
  /** Handlers still running: close() waits for them, so none is cut off mid-answer. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly statusListeners = new Map<string, ((status: Status) => void)[]>();

  constructor(
    private readonly connection: NatsConnection,
    private readonly subjects: Subjects,
    private readonly node: string,
    private readonly module: ModuleKind,
    private readonly events: EventPublisher,
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    const subjects = [
      this.subjects.moduleWildcard(this.node, this.module),
      this.subjects.broadcastWildcard(this.module),
      this.subjects.schedulerControl,
    ];
    if (this.module === 'controller')
      subjects.push(this.subjects.intentsControl, this.subjects.flows(this.node));
    for (const subject of subjects) {
      const subscription = this.connection.subscribe(subject, {
        callback: (error, msg) => {
          if (error) {
            this.events.error({
              subject,
              code: ErrorCodes.subscriptionFailed,
              message: error.message,
            });
            return;
          }
          const handled = this.onMessage(msg);
          this.inFlight.add(handled);
          void handled.finally(() => this.inFlight.delete(handled));
        },
      });
      this.subscriptions.push(subscription);
    }
    void this.forwardStatus();
    callback();
  }

  /** Stops taking messages, then waits for the handlers still running. */
  async close(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Nest's transport events: `on('disconnect' | 'reconnect' | 'slowConsumer' | ...)` gets
   * the NATS client's status of that type. The lines operators read are logged where every
   * connection is made (connectNats); this is for code that wants to act on them.
   */
  on<K extends keyof StatusEvents>(event: K, callback: StatusEvents[K]): void {
    const listener = callback as (status: Status) => void;
    this.statusListeners.set(event, [...(this.statusListeners.get(event) ?? []), listener]);
  }

  unwrap<T>(): T {
    return this.connection as T;
  }

  private async forwardStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      this._status$.next(status.type);
      for (const listener of this.statusListeners.get(status.type) ?? []) listener(status);
    }
  }

  private async onMessage(msg: Msg): Promise<void> {
    const route = this.route(msg);
    if ('problems' in route) {
      this.refuse(msg, ErrorCodes.invalidMessage, route.problems);
      return;
    }
    if (route.skip) return;
    const handler = this.getHandlerByPattern(route.pattern);
    if (!handler) {
      this.refuse(msg, ErrorCodes.noHandler, [
        { field: 'subject', rule: `is not served by this ${this.module}` },
      ]);
      return;
    }
    const context = new MeshmonContext([msg.subject, msg.reply]);
    try {
      const result = await handler(route.data, context);
      if (handler.isEventHandler || !msg.reply) return;
      const value: unknown = await lastValueFrom(this.transformToObservable(result), {
        defaultValue: undefined,
      });
      // No value: the handler chose not to answer here (e.g. the answer travels as an event).
      // Bytes are sent as they are (an encoded envelope); anything else as JSON.
      if (value instanceof Uint8Array) msg.respond(value);
      else if (value !== undefined) msg.respond(encoder.encode(JSON.stringify(value)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.events.error({ subject: msg.subject, code: ErrorCodes.handlerFailed, message });
      if (msg.reply) this.respondError(msg, ErrorCodes.handlerFailed, message, []);
    }
  }

  private route(
    msg: Msg,
  ): { pattern: string; data: unknown; skip?: boolean } | { problems: Problem[] } {
    const parsed = this.subjects.parse(msg.subject);
    if (parsed?.kind === 'server') {
      const decoded =
        parsed.action === 'start'
          ? decodeServerStartRequest(msg.data)
          : decodeServerStopRequest(msg.data);
      if (!decoded.ok) return { problems: decoded.problems };
      return {
        pattern: parsed.action === 'start' ? Patterns.serverStart : Patterns.serverStop,
        data: decoded.value,
      };
    }
    if (parsed?.kind === 'control') {
      const decoded =
        parsed.what === 'scheduler'
          ? decodeSchedulerControl(msg.data)
          : decodeManualIntents(msg.data);
      if (!decoded.ok) return { problems: decoded.problems };
      const pattern =
        parsed.what === 'scheduler' ? Patterns.schedulerControl : Patterns.intentsControl;
      return { pattern, data: decoded.value };
    }
    if (parsed?.kind === 'flows') {
      const decoded = decodeFlowMap(msg.data);
      if (!decoded.ok) return { problems: decoded.problems };
      return { pattern: Patterns.flows, data: decoded.value };
    }
    if (parsed?.kind === 'measure') {
      const decoded = decodeMeasureRequest(msg.data);
      if (!decoded.ok) return { problems: decoded.problems };
      return { pattern: Patterns.measure, data: decoded.value };
    }
    if (parsed?.kind !== 'scheduler' && parsed?.kind !== 'broadcast') {
      return { problems: [{ field: 'subject', rule: 'is not a Meshmon v1 node subject' }] };
    }
    const decoded = decodeSchedulerEnvelope(msg.data);
    if (!decoded.ok) return { problems: decoded.problems };
    const envelope = decoded.value;
    if (envelope.message.type !== parsed.type) {
      return {
        problems: [
          { field: 'message.type', rule: `must match the subject's type "${parsed.type}"` },
        ],
      };
    }
    // Our own broadcasts come back to us: the machines never expect to hear themselves.
    const skip = parsed.kind === 'broadcast' && envelope.from.node === this.node;
    const asRequest = envelope.message.type === 'slot-request' && msg.reply !== undefined;
    return {
      pattern: asRequest ? Patterns.slotRequest : Patterns.schedulerMessage,
      data: envelope,
      skip,
    };
  }

  private refuse(msg: Msg, code: string, problems: Problem[]): void {
    const message = problems.map((problem) => `${problem.field}: ${problem.rule}`).join('; ');
    this.events.error({ subject: msg.subject, code, message, problems });
    if (msg.reply) this.respondError(msg, code, message, problems);
  }

  private respondError(msg: Msg, code: string, message: string, problems: Problem[]): void {
    try {
      msg.respond(encodeErrorReply(errorReply(code, message, problems)));
    } catch {
      // The requester is gone; nothing to answer.
    }
  }
}

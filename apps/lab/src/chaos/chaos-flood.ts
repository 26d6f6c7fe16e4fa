import { createHash } from 'node:crypto';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { NATS_ROLES, mayPublish, natsPermissions, type NatsRole } from '@meshmon/contracts';
import { junkMessage, listenedSubjects } from '@meshmon/service-runtime/testing/junk-messages.js';
import type { LabCluster } from '../cluster/lab-cluster.js';

/** A message the suite sent, as seen on the bus: replayed as it was by the valid flood. */
interface Captured {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: MsgHdrs | undefined;
}

/** What a flood sent: how many messages, on how many subjects, at what rate. */
export interface FloodFigures {
  readonly messages: number;
  readonly subjects: number;
  readonly perSecond: number;
}

/**
 * The message floods of the fault suite, with the suite's own logins (the worst a peer that
 * holds one can do): `valid` replays the suite's own traffic, captured while it ran
 * normally, at ten times its rate; `malformed` sends junk at that rate on every subject a
 * service listens to. Each message goes out under a role the server lets publish it.
 */
export class Flood {
  private constructor(
    private readonly cluster: LabCluster,
    private readonly captured: readonly Captured[],
    /** Messages a second while the suite ran normally. */
    readonly normalRate: number,
    /** One connection per role, lent by the lab (which closes them). */
    private readonly connections = new Map<NatsRole, NatsConnection>(),
  ) {}

  /**
   * Listens for `seconds` as every role on what it may read (a role's login is shared by
   * that service on every node), keeping each distinct message once.
   */
  static async capture(cluster: LabCluster, seconds: number): Promise<Flood> {
    const seen = new Map<string, Captured>();
    const subscriptions = [];
    const flood = new Flood(cluster, [], 0);
    for (const role of NATS_ROLES) {
      const connection = await flood.connection(role);
      for (const pattern of natsPermissions(role).subscribe.allow) {
        // Replies and JetStream's API are answers to someone's request, not traffic.
        if (pattern.startsWith('_') || pattern.startsWith('$')) continue;
        subscriptions.push(
          connection.subscribe(pattern, {
            callback: (error, message) => {
              if (error) return;
              const key = createHash('sha1')
                .update(message.subject)
                .update(message.data)
                .digest('hex');
              if (!seen.has(key))
                seen.set(key, {
                  subject: message.subject,
                  data: message.data,
                  headers: message.headers,
                });
            },
          }),
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    for (const subscription of subscriptions) subscription.unsubscribe();
    const captured = [...seen.values()];
    return new Flood(cluster, captured, captured.length / seconds, flood.connections);
  }

  /** Sends for `seconds` at ten times the normal rate (bounded: at most 2,000 a second). */
  async run(kind: 'valid' | 'malformed', seconds: number): Promise<FloodFigures> {
    const perSecond = Math.min(2000, Math.max(10, Math.ceil(this.normalRate * 10)));
    const messages = this.messages(kind);
    if (messages.length === 0) return { messages: 0, subjects: 0, perSecond };
    const ticks = seconds * 10;
    const perTick = Math.max(1, Math.round(perSecond / 10));
    let sent = 0;
    for (let tick = 0; tick < ticks; tick += 1) {
      const tickStarted = Date.now();
      for (let i = 0; i < perTick; i += 1) {
        const message = messages[sent % messages.length];
        const role = this.publisher(message.subject);
        if (role) {
          const connection = await this.connection(role);
          connection.publish(message.subject, message.data, {
            ...(message.headers ? { headers: message.headers } : {}),
          });
        }
        sent += 1;
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, 100 - (Date.now() - tickStarted))),
      );
    }
    for (const connection of this.connections.values()) await connection.flush();
    return {
      messages: sent,
      subjects: new Set(messages.map((message) => message.subject)).size,
      perSecond,
    };
  }

  private messages(kind: 'valid' | 'malformed'): Captured[] {
    if (kind === 'valid') return [...this.captured];
    const nodes = [...this.cluster.nodes.keys()];
    const subjects = nodes.flatMap((node, i) =>
      listenedSubjects(this.cluster.subjects, node, nodes[(i + 1) % nodes.length]),
    );
    const unique = [...new Set(subjects)];
    return Array.from({ length: unique.length * 8 }, (_, i) => {
      const junk = junkMessage(i);
      return {
        subject: unique[i % unique.length],
        data: typeof junk === 'string' ? new TextEncoder().encode(junk) : junk,
        headers: undefined,
      };
    });
  }

  /** The first role the server lets publish `subject`; none for a subject nobody may. */
  private publisher(subject: string): NatsRole | undefined {
    return NATS_ROLES.find((role) => mayPublish(role, subject));
  }

  private async connection(role: NatsRole): Promise<NatsConnection> {
    let connection = this.connections.get(role);
    if (!connection) {
      connection = await this.cluster.connectAs(role);
      this.connections.set(role, connection);
    }
    return connection;
  }
}

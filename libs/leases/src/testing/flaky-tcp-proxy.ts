import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of Redis that can fail the way networks do, for tests of what a client
 * sees: a reply lost with the connection, or a connection that hangs without closing.
 */
export class FlakyTcpProxy {
  /** Replies swallowed so far by `loseNextReply`. */
  lostReplies = 0;
  private readonly connections = new Set<{ client: Socket; upstream: Socket }>();
  private loseArmed = false;
  private holding = false;

  private readonly server: Server;
  private listeningPort = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  /** The free port on 127.0.0.1 it listens on (kept after `close`, for messages). */
  get port(): number {
    return this.listeningPort;
  }

  static async start(target: { host: string; port: number }): Promise<FlakyTcpProxy> {
    const proxy = new FlakyTcpProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.listeningPort = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  /**
   * The next command any client sends reaches Redis, but its reply is dropped and that
   * connection cut: the command ran, the client never hears so.
   */
  loseNextReply(): void {
    this.loseArmed = true;
  }

  /** Bytes from clients wait here (the connection stays open) until `resume`. */
  hold(): void {
    this.holding = true;
    for (const { client } of this.connections) client.pause();
  }

  resume(): void {
    this.holding = false;
    for (const { client } of this.connections) client.resume();
  }

  /** Stops listening and cuts every connection: Redis is gone, as far as clients can tell. */
  async close(): Promise<void> {
    for (const { client, upstream } of this.connections) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = createConnection(this.target);
    const connection = { client, upstream };
    this.connections.add(connection);
    let doomed = false;
    if (this.holding) client.pause();
    client.on('data', (chunk) => {
      if (this.loseArmed) {
        this.loseArmed = false;
        doomed = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!doomed) {
        client.write(chunk);
        return;
      }
      this.lostReplies += 1;
      client.destroy();
      upstream.destroy();
    });
    const drop = (): void => {
      this.connections.delete(connection);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  }
}

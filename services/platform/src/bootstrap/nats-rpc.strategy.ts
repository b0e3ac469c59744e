import type { MsgCallback, Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { ServerNats, type MessageHandler } from '@nestjs/microservices';
import type { NatsService } from '../nats/nats.service.js';
import { RPC_BINDING } from '../rpc/rpc.decorator.js';

/** `_INBOX.<token>` or a process's own `_INBOX_<service>.<token>`, nothing that only starts alike. */
const inboxReply = /^_INBOX(_[^.*>\s]+)?\.[^.*>\s]/;

/**
 * A request is answered only on an inbox (`_INBOX.…`, or a process's own `_INBOX_<service>.…`): a
 * server may answer whatever reply subject a request names (`allow_responses`), so a reply aimed at a
 * stream subject such as `agora.identity.evt.…` would write into that stream with this service's rights.
 */
export function isInboxReply(reply: string | undefined): boolean {
  return reply !== undefined && inboxReply.test(reply);
}

/**
 * Nest's NATS server on the platform's own connection: it waits for NatsService (which retries with
 * backoff) instead of failing at start, and leaves draining the connection to NatsService.
 */
export class NatsRpcStrategy extends ServerNats {
  private readonly subs: Subscription[] = [];
  private connection?: NatsConnection;

  constructor(
    private readonly nats: NatsService,
    private readonly queue: string,
  ) {
    super({ queue });
  }

  override async createNatsClient(): Promise<NatsConnection> {
    this.connection = await this.nats.ready();
    return this.connection;
  }

  /**
   * Nest registers each handler here when the app connects the server. Only handlers bound with
   * `@Rpc(def)` are taken (so every RPC is validated, mapped to coded errors and counted for
   * shutdown), and one per subject (Nest would silently keep the last).
   */
  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    const subject = this.normalizePattern(pattern as string);
    if (isEventHandler || extras[RPC_BINDING] !== subject) {
      throw new Error(
        `${subject}: bind RPC handlers with @Rpc(def) from @agora/platform, not @MessagePattern or @EventPattern`,
      );
    }
    if (this.messageHandlers.has(subject)) {
      throw new Error(`${subject}: bound twice (two @Rpc handlers for one RpcDef)`);
    }
    super.addHandler(pattern, callback, isEventHandler, extras);
  }

  /**
   * Resolves the app's start (and so `rpcReady`) only once nats-server has every subscription: a flush
   * is answered after the SUBs before it, so a caller on another connection is never told that nobody
   * is answering by a service that has just said it is ready (seen right after a restart under load).
   */
  override start(callback: (err?: unknown) => void): void {
    const connection = this.connection;
    if (!connection) {
      callback(new Error('NATS RPC server started before its connection'));
      return;
    }
    this.bindEvents(connection);
    connection.flush().then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  /**
   * Nest looks every request's subject up by trying `JSON.parse` on it first (for object patterns);
   * an `@Rpc` subject is a plain dotted string, so that throws a SyntaxError on every RPC. Such a
   * subject goes straight to the route; anything that may be JSON still takes Nest's way.
   */
  override getRouteFromPattern(pattern: string): string {
    const first = pattern.charAt(0);
    if (first === '{' || first === '[' || first === '"') return super.getRouteFromPattern(pattern);
    return this.normalizePattern(pattern);
  }

  /** Subscribes every @Rpc subject in the service's queue group (replicas share RPCs). */
  override bindEvents(client: NatsConnection): void {
    for (const [channel, handlerRef] of this.messageHandlers) {
      const queue = (handlerRef.extras?.queue as string | undefined) ?? this.queue;
      // Nest's handler is async (it answers on msg.respond itself); its promise never rejects.
      const handle = this.getMessageHandler(channel).bind(this) as (
        err: Error | null,
        msg: Msg,
      ) => Promise<unknown>;
      const callback: MsgCallback<Msg> = (err, msg) => {
        if (!err && !isInboxReply(msg.reply)) return;
        void handle(err, msg);
      };
      this.subs.push(client.subscribe(channel, { queue, callback }));
    }
  }

  /**
   * Stop taking new RPCs: each subscription drains (messages already received are still handed to their
   * handlers, nothing new arrives). NatsService drains the connection itself later.
   */
  async stopAccepting(): Promise<void> {
    const open = this.subs.splice(0).filter((sub) => !sub.isClosed());
    await Promise.all(open.map((sub) => sub.drain().catch(() => sub.unsubscribe())));
  }

  override close(): Promise<void> {
    return this.stopAccepting();
  }
}

import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AccessTokens, NatsService } from '@agora/platform';
import {
  live,
  pingSchema,
  rooms,
  socketAuthErrors,
  socketPath,
  socketReadySchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@agora/proto';
import type { Subscription } from '@nats-io/transport-node';
import type { Express } from 'express';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import proxyAddr from 'proxy-addr';
import { Server, type Socket } from 'socket.io';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../config/gateway-config.token.js';
import type { GatewayConfig } from '../config/gateway-env.schema.js';
import type { Principal } from '../http/principal.js';
import { RateLimits } from '../rate-limit/rate-limits.js';
import { routeLiveEvent, type LiveAction } from './live-event-router.js';
import { authenticateHandshake, SocketAuthError } from './socket-auth.js';

interface SocketData {
  principal: Principal;
}
type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** Longest timer Node accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * socket.io on the gateway's HTTP server: token-authenticated handshakes, one room per member,
 * and the relay of domain events from core NATS (`live.allEvents`) to the rooms this replica holds.
 */
@Injectable()
export class SocketServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private io: LiveServer | undefined;
  private subscription: Subscription | undefined;
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(GATEWAY_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'socket' });
  }

  get server(): LiveServer | undefined {
    return this.io;
  }

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    const io: LiveServer = new Server(httpServer, {
      path: socketPath,
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      // Same rule as REST: closed unless CORS_ORIGIN names the one origin allowed.
      ...(this.config.CORS_ORIGIN
        ? { cors: { origin: this.config.CORS_ORIGIN, credentials: true } }
        : {}),
    });
    // The address as REST sees it: X-Forwarded-For only from the proxies TRUST_PROXY names.
    const express = this.adapterHost.httpAdapter.getInstance<Express>();
    const trust = express.get('trust proxy fn') as Parameters<typeof proxyAddr>[1];
    const clientIp = (req: IncomingMessage) => proxyAddr(req, trust).slice(0, 64);
    io.use((socket, next) => {
      // A handshake spends from the same per-IP budget as a REST request.
      const limit = this.limits.perIp.take(`ip:${clientIp(socket.request)}`);
      if (!limit.allowed) {
        next(
          new SocketAuthError(
            socketAuthErrors.rateLimited,
            `too many connection attempts from this address: retry in ${limit.retryAfterSeconds} s`,
            limit.retryAfterSeconds,
          ),
        );
        return;
      }
      authenticateHandshake(socket.handshake.auth, this.tokens).then(
        (principal) => {
          socket.data.principal = principal;
          next();
        },
        (err: unknown) =>
          next(
            err instanceof SocketAuthError
              ? err
              : new SocketAuthError('UNAUTHENTICATED', 'access token invalid'),
          ),
      );
    });
    io.on('connection', (socket) => this.onConnection(socket));
    this.io = io;
    void this.subscribe();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.io) {
      // Closing the transports makes clients reconnect, to another replica during a rolling restart.
      this.io.disconnectSockets(true);
      this.io.engine.close();
    }
    await Promise.resolve();
  }

  /** Applies what a relayed event asks (exposed for the live relay and its tests). */
  apply(action: LiveAction): void {
    const io = this.io;
    if (!io) return;
    const room = rooms.user(action.memberId);
    if (action.kind === 'me.updated') {
      io.to(room).emit('me.updated', { fields: action.fields });
      return;
    }
    // A copy: each disconnect leaves the room while we walk it.
    for (const id of [...(io.of('/').adapter.rooms.get(room) ?? [])]) {
      const s = io.of('/').sockets.get(id);
      if (s) endSession(s, action.reason);
    }
  }

  private onConnection(socket: LiveSocket): void {
    const { memberId, exp } = socket.data.principal;
    void socket.join(rooms.user(memberId));
    socket.emit(
      'ready',
      socketReadySchema.parse({ memberId, serverTime: new Date().toISOString() }),
    );

    const untilExpiry = Math.min(MAX_TIMER_MS, Math.max(0, exp * 1000 - Date.now()));
    const expiry = setTimeout(() => endSession(socket, 'access token expired'), untilExpiry);
    socket.on('disconnect', () => clearTimeout(expiry));

    socket.on('ping', (payload, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = pingSchema.safeParse(payload);
      if (!parsed.success) {
        ack({
          ok: false,
          error: { code: 'VALIDATION_FAILED', message: 'ping takes { sentAt: number }' },
        });
        return;
      }
      ack({ ok: true, data: { sentAt: parsed.data.sentAt, serverTime: Date.now() } });
    });
  }

  private async subscribe(): Promise<void> {
    const nc = await this.nats.ready();
    if (this.stopped) return;
    // Core NATS: every replica hears every event and serves only the rooms it holds.
    this.subscription = nc.subscribe(live.allEvents, {
      callback: (err, msg) => {
        if (err) {
          this.logger.warn({ err: err.message }, 'live subscription error');
          return;
        }
        for (const action of routeLiveEvent(msg.string())) this.apply(action);
      },
    });
    this.logger.info({ subject: live.allEvents }, 'relaying live events to sockets');
  }
}

/** Tells the client why, then disconnects (the DISCONNECT packet follows the event on the same transport). */
function endSession(socket: LiveSocket, reason: string): void {
  if (!socket.connected) return;
  socket.emit('session.expired', { reason });
  socket.disconnect();
}

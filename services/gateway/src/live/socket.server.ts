import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  AccessTokens,
  AccessView,
  NatsService,
  PLATFORM_LOGGER,
  RecentIds,
  type AccessChange,
  type TokenClaims,
} from '@agora/platform';
import {
  live,
  pingSchema,
  rooms,
  socketAuthErrors,
  socketPath,
  socketReadySchema,
  type LiveAction,
  type LiveEmit,
} from '@agora/proto';
import type { Subscription } from '@nats-io/transport-node';
import type { Express } from 'express';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import proxyAddr from 'proxy-addr';
import { Server } from 'socket.io';
import { ChatSockets } from '../chat/chat-sockets.service.js';
import { GATEWAY_CONFIG } from '../config/gateway-config.token.js';
import type { GatewayConfig } from '../config/gateway-env.schema.js';
import { Presence } from '../presence/presence.service.js';
import { RateLimits } from '../rate-limit/rate-limits.js';
import type { Principal } from '../http/principal.js';
import { routeLiveEvent } from './live-event-router.js';
import { socketsOf, type LiveServer, type LiveSocket } from './live-socket.js';
import { authenticateHandshake, SocketAuthError } from './socket-auth.js';
import { SocketRooms } from './socket-rooms.service.js';

/** Longest timer Node accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Envelope ids remembered against a re-publish: the last 20,000 (~2 MB), minutes of traffic at
 * the rates measured, where a relay's retry comes within seconds.
 */
const RELAYED_IDS_KEPT = 20_000;

/**
 * socket.io on the gateway's HTTP server: token-authenticated handshakes, the member's own room,
 * the rooms joined on request (SocketRooms), and the relay of domain events from core NATS
 * (`live.allEvents`) to the rooms this replica holds, as their proto live routes declare.
 */
@Injectable()
export class SocketServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private io: LiveServer | undefined;
  private subscription: Subscription | undefined;
  private stopped = false;
  private stopAccess: (() => void) | undefined;
  private readonly logger: Logger;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(SocketRooms) private readonly rooms: SocketRooms,
    @Inject(ChatSockets) private readonly chat: ChatSockets,
    @Inject(Presence) private readonly presence: Presence,
    @Inject(AccessView) private readonly access: AccessView,
    @Inject(PLATFORM_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'socket' });
  }

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    // The address as REST sees it: X-Forwarded-For only from the proxies TRUST_PROXY names.
    const express = this.adapterHost.httpAdapter.getInstance<Express>();
    const trust = express.get('trust proxy fn') as Parameters<typeof proxyAddr>[1];
    const clientIp = (req: IncomingMessage) => proxyAddr(req, trust).slice(0, 64);
    const io: LiveServer = new Server(httpServer, {
      path: socketPath,
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      // Every transport handshake, polling or WebSocket, spends from its address's budget, even
      // one that never goes on to authenticate.
      allowRequest: (req, callback) =>
        callback(null, this.limits.perTransportHandshake.take(clientIp(req)).allowed),
      // A connection that dropped without closing is noticed within 20 s (socket.io's default 45 s
      // would keep a member "online" past presence's 30 s promise).
      pingInterval: 10_000,
      pingTimeout: 10_000,
      // Same rule as REST: closed unless CORS_ORIGIN names the one origin allowed.
      ...(this.config.CORS_ORIGIN
        ? { cors: { origin: this.config.CORS_ORIGIN, credentials: true } }
        : {}),
    });
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
      authenticateHandshake(socket.handshake.auth, this.tokens, this.access).then(
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
    this.stopAccess = this.access.onChange((change) => this.onAccessChange(io, change));
    void this.subscribe();
    void this.chat.attach(io);
    void this.presence.attach(io);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopAccess?.();
    this.subscription?.unsubscribe();
    if (this.io) {
      // Closing the transports makes clients reconnect, to another replica during a rolling restart.
      this.io.disconnectSockets(true);
      this.io.engine.close();
    }
    // After the disconnects: presence has announced this replica's members offline.
    this.chat.stop();
    this.presence.stop();
    await Promise.resolve();
  }

  private apply(io: LiveServer, action: LiveAction): void {
    switch (action.kind) {
      case 'emit':
        emit(io, action);
        return;
      case 'leave':
        this.rooms.drop(io, action.room, action.memberId);
        return;
      case 'end-sessions':
        for (const socket of socketsOf(io, action.memberId)) endSession(socket, action.reason);
        return;
      case 'recheck':
        void this.rooms.recheck(io, action.room);
        return;
    }
  }

  /**
   * Identity said an account was suspended, deleted or had its role changed, or sessions ended:
   * the sockets whose tokens the change voids are told why and disconnected at once.
   */
  private onAccessChange(io: LiveServer, change: AccessChange): void {
    for (const socket of socketsOf(io, change.memberId)) {
      const refusal = this.access.checkNow(claimsOf(socket.data.principal));
      if (refusal) endSession(socket, refusal);
    }
  }

  private onConnection(socket: LiveSocket): void {
    const { memberId, exp } = socket.data.principal;
    // A change heard between the handshake's check and this join would have missed this socket.
    const refusal = this.access.checkNow(claimsOf(socket.data.principal));
    if (refusal) {
      endSession(socket, refusal);
      return;
    }
    void socket.join(rooms.user(memberId));
    // The main forum is every member's: its live like counts and new posts reach every socket.
    void socket.join(rooms.forum());
    this.limitMessages(socket);
    this.rooms.attach(socket);
    this.chat.onConnection(socket);
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

  /**
   * Every message the socket sends spends from its own budget; past it the message is dropped and
   * an acknowledged one is answered RATE_LIMITED, so a flood costs the gateway next to nothing.
   */
  private limitMessages(socket: LiveSocket): void {
    socket.use((packet, next) => {
      if (this.limits.perSocket.take(socket.id).allowed) {
        next();
        return;
      }
      const ack: unknown = packet[packet.length - 1];
      if (typeof ack === 'function')
        (ack as (reply: unknown) => void)({
          ok: false,
          error: { code: 'RATE_LIMITED', message: 'too many messages on this connection' },
        });
    });
    socket.on('disconnect', () => this.limits.perSocket.forget(socket.id));
  }

  private async subscribe(): Promise<void> {
    const nc = await this.nats.ready();
    if (this.stopped) return;
    const onInvalid = (reason: string, type?: string): void =>
      this.logger.warn({ type, reason }, 'live event not relayed');
    // Core NATS: every replica hears every event and serves only the rooms it holds.
    const relayed = new RecentIds(RELAYED_IDS_KEPT);
    this.subscription = nc.subscribe(live.allEvents, {
      callback: (err, msg) => {
        if (err) {
          this.logger.warn({ err: err.message }, 'live subscription error');
          return;
        }
        const io = this.io;
        if (!io) return;
        for (const action of routeLiveEvent(msg.string(), onInvalid, (id) => relayed.repeat(id)))
          this.apply(io, action);
      },
    });
    this.logger.info({ subject: live.allEvents }, 'relaying live events to sockets');
  }
}

function claimsOf(p: Principal): TokenClaims {
  return { sub: p.memberId, role: p.role, sid: p.sid };
}

/** socket.io types `emit` per event name; an action carries a name and its payload together. */
function emit(io: LiveServer, action: LiveEmit): void {
  (io.to(action.room).emit as (event: string, payload: unknown) => boolean)(
    action.event,
    action.payload,
  );
}

/** Tells the client why, then disconnects (the DISCONNECT packet follows the event on the same transport). */
function endSession(socket: LiveSocket, reason: string): void {
  if (!socket.connected) return;
  socket.emit('session.expired', { reason });
  socket.disconnect();
}

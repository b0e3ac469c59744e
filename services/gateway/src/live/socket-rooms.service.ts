import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_LOGGER, RpcCallError } from '@agora/platform';
import {
  channelRoomSchema,
  maxRoomsPerSocket,
  rooms,
  spaceRoomSchema,
  type Ack,
  type ErrorBody,
  type Room,
  type SpaceRole,
} from '@agora/proto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { RateLimits } from '../rate-limit/rate-limits.js';
import { socketsOf, type LiveServer, type LiveSocket, type PendingJoin } from './live-socket.js';
import { RoomAccessRepository } from './room-access.repository.js';

/** One kind of joinable room: how its payload reads, its room, and who says yes. */
interface RoomKind<P, Joined> {
  schema: z.ZodType<P>;
  /** What the payload must look like, for VALIDATION_FAILED. */
  usage: string;
  room(payload: P): Room;
  /** Asks the owning service: the join's ack data, or undefined when refused. */
  authorise(memberId: string, payload: P): Promise<Joined | undefined>;
  refusal: string;
  /** The leave's ack data. */
  left(payload: P): Record<string, string>;
}

type Reply<T> = Parameters<Ack<T>>[0];

function failure(code: ErrorBody['code'], message: string, details?: unknown): Reply<never> {
  return {
    ok: false,
    error: details === undefined ? { code, message } : { code, message, details },
  };
}

/**
 * The ack and the validated payload of a room event; undefined when there is nothing to answer
 * (socket.io hands whatever the client sent: an emit without a callback gets no answer) or when the
 * payload was refused with VALIDATION_FAILED.
 */
function readRequest<P, T>(
  kind: { schema: z.ZodType<P>; usage: string },
  event: string,
  payload: unknown,
  ack: unknown,
): { reply: Ack<T>; parsed: { data: P } } | undefined {
  if (typeof ack !== 'function') return undefined;
  const reply = ack as Ack<T>;
  const parsed = kind.schema.safeParse(payload);
  if (!parsed.success) {
    reply(failure('VALIDATION_FAILED', `${event} ${kind.usage}`));
    return undefined;
  }
  return { reply, parsed };
}

/**
 * `space.join`/`space.leave` and `channel.join`/`channel.leave`. Every join is authorised by the
 * owning service over NATS (the gateway keeps no data), spends from the member's rate budget (each
 * one costs an RPC) and counts against the socket's bound on rooms. A leave, or a removal event,
 * that arrives while a join waits for its answer cancels that join.
 */
@Injectable()
export class SocketRooms {
  private readonly logger: Logger;
  private readonly space: RoomKind<
    z.infer<typeof spaceRoomSchema>,
    { spaceId: string; role: SpaceRole }
  >;
  private readonly channel: RoomKind<z.infer<typeof channelRoomSchema>, { channelId: string }>;

  constructor(
    @Inject(RoomAccessRepository) access: RoomAccessRepository,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(PLATFORM_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'socket-rooms' });
    this.space = {
      schema: spaceRoomSchema,
      usage: 'takes { spaceId: <24 lowercase hex> }',
      room: (p) => rooms.space(p.spaceId),
      authorise: async (memberId, p) => {
        const answer = await access.space(memberId, p.spaceId);
        return answer.allowed ? { spaceId: p.spaceId, role: answer.role } : undefined;
      },
      refusal: 'not a member of this space',
      left: (p) => ({ spaceId: p.spaceId }),
    };
    this.channel = {
      schema: channelRoomSchema,
      usage: 'takes { channelId: <24 lowercase hex> }',
      room: (p) => rooms.channel(p.channelId),
      authorise: async (memberId, p) => {
        const answer = await access.channel(memberId, p.channelId);
        return answer.allowed ? { channelId: p.channelId } : undefined;
      },
      refusal: 'not a member of this channel',
      left: (p) => ({ channelId: p.channelId }),
    };
  }

  /** Answers the room events of a freshly connected socket. */
  attach(socket: LiveSocket): void {
    socket.data.joining = new Map();
    socket.on('space.join', (payload, ack) => {
      void this.join(socket, this.space, 'space.join', payload, ack);
    });
    socket.on('space.leave', (payload, ack) => {
      void this.leave(socket, this.space, 'space.leave', payload, ack);
    });
    socket.on('channel.join', (payload, ack) => {
      void this.join(socket, this.channel, 'channel.join', payload, ack);
    });
    socket.on('channel.leave', (payload, ack) => {
      void this.leave(socket, this.channel, 'channel.leave', payload, ack);
    });
  }

  /**
   * Asks the owning service again for every member with a socket in the room (rights on its space
   * changed); the sockets of those refused, or not answered for, leave it and are told. A revocation
   * is never lost to an unanswered question: the member may simply join again.
   */
  async recheck(io: LiveServer, room: Room): Promise<void> {
    const ids = [...(io.of('/').adapter.rooms.get(room) ?? [])];
    const byMember = new Map<string, LiveSocket[]>();
    for (const socket of ids.flatMap((id) => io.of('/').sockets.get(id) ?? [])) {
      const { memberId } = socket.data.principal;
      byMember.set(memberId, [...(byMember.get(memberId) ?? []), socket]);
    }
    const [prefix, id = ''] = room.split(':');
    await Promise.all(
      [...byMember].map(async ([memberId, sockets]) => {
        let allowed: boolean;
        try {
          allowed =
            prefix === 'space'
              ? (await this.space.authorise(memberId, { spaceId: id })) !== undefined
              : (await this.channel.authorise(memberId, { channelId: id })) !== undefined;
        } catch (err) {
          this.logger.warn({ err, room }, 'room re-check not answered: the member leaves the room');
          allowed = false;
        }
        if (allowed) return;
        for (const socket of sockets) {
          this.cancel(socket, room, { code: 'FORBIDDEN', message: 'rights changed while joining' });
          void socket.leave(room);
          if (prefix === 'space') socket.emit('space.left', { spaceId: id });
          else socket.emit('channel.left', { channelId: id });
        }
      }),
    );
  }

  /** Takes every socket of the member out of the room, cancelling their joins of it in flight. */
  drop(io: LiveServer, room: Room, memberId: string): void {
    for (const socket of socketsOf(io, memberId)) {
      this.cancel(socket, room, { code: 'FORBIDDEN', message: 'removed while joining' });
      void socket.leave(room);
    }
  }

  private async join<P, Joined>(
    socket: LiveSocket,
    kind: RoomKind<P, Joined>,
    event: string,
    payload: unknown,
    ack: unknown,
  ): Promise<void> {
    const request = readRequest<P, Joined>(kind, event, payload, ack);
    if (!request) return;
    const { reply, parsed } = request;
    const { memberId } = socket.data.principal;
    const budget = this.limits.perMember.take(`member:${memberId}`);
    if (!budget.allowed) {
      reply(
        failure('RATE_LIMITED', `too many requests for this account`, {
          retryAfterSeconds: budget.retryAfterSeconds,
        }),
      );
      return;
    }
    const room = kind.room(parsed.data);
    if (!socket.rooms.has(room) && this.roomsHeld(socket) >= maxRoomsPerSocket) {
      reply(
        failure('CONFLICT', `a connection follows at most ${maxRoomsPerSocket} rooms: leave one`),
      );
      return;
    }

    const pending: PendingJoin = {};
    const waiting = socket.data.joining.get(room) ?? new Set<PendingJoin>();
    socket.data.joining.set(room, waiting.add(pending));
    try {
      const joined = await kind.authorise(memberId, parsed.data);
      if (pending.cancelled) reply({ ok: false, error: pending.cancelled });
      else if (!joined) reply(failure('FORBIDDEN', kind.refusal));
      else if (socket.connected) {
        await socket.join(room);
        reply({ ok: true, data: joined });
      }
    } catch (err) {
      if (err instanceof RpcCallError) {
        if (err.body.code === 'UNAVAILABLE' || err.body.code === 'INTERNAL')
          this.logger.warn({ err: err.body, subject: err.subject }, `${event} not answered`);
        reply({ ok: false, error: err.body });
      } else {
        this.logger.error({ err }, `${event} failed`);
        reply(failure('INTERNAL', 'internal error'));
      }
    } finally {
      waiting.delete(pending);
      if (waiting.size === 0 && socket.data.joining.get(room) === waiting)
        socket.data.joining.delete(room);
    }
  }

  private async leave<P, Joined>(
    socket: LiveSocket,
    kind: RoomKind<P, Joined>,
    event: string,
    payload: unknown,
    ack: unknown,
  ): Promise<void> {
    const request = readRequest<P, Record<string, string>>(kind, event, payload, ack);
    if (!request) return;
    const { reply, parsed } = request;
    const room = kind.room(parsed.data);
    this.cancel(socket, room, { code: 'CONFLICT', message: 'left before the join completed' });
    await socket.leave(room);
    reply({ ok: true, data: kind.left(parsed.data) });
  }

  private cancel(socket: LiveSocket, room: Room, reason: ErrorBody): void {
    for (const pending of socket.data.joining.get(room) ?? []) pending.cancelled = reason;
    socket.data.joining.delete(room);
  }

  /** Rooms joined or being joined, besides those every socket is in (its own, its member's, the forum's). */
  private roomsHeld(socket: LiveSocket): number {
    const own = new Set<string>([
      socket.id,
      rooms.user(socket.data.principal.memberId),
      rooms.forum(),
    ]);
    let held = 0;
    for (const room of socket.rooms) if (!own.has(room)) held += 1;
    for (const room of socket.data.joining.keys()) if (!socket.rooms.has(room)) held += 1;
    return held;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { NatsService, PLATFORM_LOGGER } from '@agora/platform';
import {
  channelLiveSchema,
  chatLive,
  rooms,
  typingLiveSchema,
  typingSchema,
  type ChannelLive,
} from '@agora/proto';
import type { Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { LiveServer, LiveSocket } from '../live/live-socket.js';

/** A socket announces typing in one channel at most this often (the web sends every ~2 s). */
const TYPING_EVERY_MS = 1_000;

/**
 * Chat's live path at the edge: every change chat publishes for a channel (`chatLive.channel`) goes
 * to the room `channel:<id>` this replica holds, sender included; `typing` from a socket that joined
 * the channel's room (so chat authorised it) goes to every replica (`chatLive.typing`), each telling
 * its sockets in the room but the typist's own.
 */
@Injectable()
export class ChatSockets {
  private readonly subscriptions: Subscription[] = [];
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(PLATFORM_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'chat-sockets' });
  }

  async attach(io: LiveServer): Promise<void> {
    const nc = await this.nats.ready();
    if (this.stopped) return;
    this.subscriptions.push(
      nc.subscribe(chatLive.allChannels, {
        callback: (err, msg) => {
          if (err) return;
          const change = parseJson(msg.string(), channelLiveSchema);
          if (!change) {
            this.logger.warn(
              { subject: msg.subject },
              'channel change not relayed: not the contract',
            );
            return;
          }
          emitChange(io, change);
        },
      }),
      nc.subscribe(chatLive.allTyping, {
        callback: (err, msg) => {
          if (err) return;
          const typing = parseJson(msg.string(), typingLiveSchema);
          if (!typing) return;
          io.to(rooms.channel(typing.channelId))
            .except(rooms.user(typing.memberId))
            .emit('typing', typing);
        },
      }),
    );
  }

  onConnection(socket: LiveSocket): void {
    const last = new Map<string, number>();
    socket.on('typing', (payload) => {
      const parsed = typingSchema.safeParse(payload);
      if (!parsed.success) return;
      const { channelId } = parsed.data;
      // Only in a room the socket joined: chat authorised it then, and a removal takes it out.
      if (!socket.rooms.has(rooms.channel(channelId))) return;
      const now = Date.now();
      if (now - (last.get(channelId) ?? 0) < TYPING_EVERY_MS) return;
      last.set(channelId, now);
      const memberId = socket.data.principal.memberId;
      this.nats.ready(1_000).then(
        (nc) => nc.publish(chatLive.typing(channelId), JSON.stringify({ channelId, memberId })),
        () => undefined,
      );
    });
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.subscriptions) s.unsubscribe();
  }
}

function parseJson<T>(
  raw: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function emitChange(io: LiveServer, change: ChannelLive): void {
  const room = io.to(rooms.channel(change.payload.channelId));
  switch (change.event) {
    case 'message.created':
      room.emit('message.created', change.payload);
      return;
    case 'message.updated':
      room.emit('message.updated', change.payload);
      return;
    case 'message.deleted':
      room.emit('message.deleted', change.payload);
      return;
    case 'reaction.changed':
      room.emit('reaction.changed', change.payload);
      return;
    case 'read.changed':
      room.emit('read.changed', change.payload);
      return;
  }
}

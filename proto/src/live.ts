import type { z } from 'zod';
import type { EventDef } from './events.js';
import type { ServerToClientEvents } from './socket.js';

/** Subjects for live (ephemeral) traffic on core NATS: the gateway relays these to socket.io rooms. */
export const live = {
  /** Every domain event also reaches core subscribers; gateways listen here to update rooms. */
  allEvents: 'agora.*.evt.>',
} as const;

/** socket.io rooms a gateway holds. */
export const rooms = {
  user: (memberId: string) => `user:${memberId}` as const,
  space: (spaceId: string) => `space:${spaceId}` as const,
  channel: (channelId: string) => `channel:${channelId}` as const,
  /** The main forum feed's viewers: every socket is in it from its connection on. */
  forum: () => 'forum' as const,
} as const;
export type Room = ReturnType<(typeof rooms)[keyof typeof rooms]>;

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Emit a socket event to every socket in a room. */
export type LiveEmit = {
  [E in ServerEventName]: { kind: 'emit'; room: Room; event: E; payload: ServerEventPayload<E> };
}[ServerEventName];

/** What a gateway does with one domain event, for the sockets it holds. */
export type LiveAction =
  | LiveEmit
  /** Tell every socket of the member `session.expired` with the reason, then disconnect it. */
  | { kind: 'end-sessions'; memberId: string; reason: string }
  /** Take every socket of the member out of the room (and cancel its joins in flight). */
  | { kind: 'leave'; room: Room; memberId: string }
  /**
   * Rights on the room's space changed for several members at once: ask the owning service again
   * for every socket in the room; the refused ones (and those nobody answers for) leave it.
   */
  | { kind: 'recheck'; room: Room };

export function emitTo<E extends ServerEventName>(
  room: Room,
  event: E,
  payload: ServerEventPayload<E>,
): LiveAction {
  return { kind: 'emit', room, event, payload } as LiveEmit;
}

export function endSessions(memberId: string, reason: string): LiveAction {
  return { kind: 'end-sessions', memberId, reason };
}

export function leaveRoom(room: Room, memberId: string): LiveAction {
  return { kind: 'leave', room, memberId };
}

export function recheckRoom(room: Room): LiveAction {
  return { kind: 'recheck', room };
}

/** Which rooms hear a domain event, under which socket event and payload (see `liveRoute`). */
export interface LiveRoute {
  readonly event: EventDef;
  /** Validates the event's `data` against its schema: undefined when it does not match. */
  actionsFor(data: unknown): readonly LiveAction[] | undefined;
}

/**
 * Declares what the gateway does when `event` arrives; the only way a domain event reaches a
 * socket. `actions` receives the event's data validated and typed from its schema.
 */
export function liveRoute<Data extends z.ZodType>(
  event: EventDef<Data>,
  actions: (data: z.output<Data>) => readonly LiveAction[],
): LiveRoute {
  return {
    event,
    actionsFor(data) {
      const parsed = event.data.safeParse(data);
      return parsed.success ? actions(parsed.data) : undefined;
    },
  };
}

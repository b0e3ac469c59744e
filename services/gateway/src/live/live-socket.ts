import {
  rooms,
  type ClientToServerEvents,
  type ErrorBody,
  type Room,
  type ServerToClientEvents,
} from '@agora/proto';
import type { Server, Socket } from 'socket.io';
import type { Principal } from '../http/principal.js';

/** A join waiting for the owning service; once `cancelled` is set it must not complete. */
export interface PendingJoin {
  cancelled?: ErrorBody;
}

export interface SocketData {
  principal: Principal;
  /** Joins in flight per room: a leave or a removal arriving meanwhile cancels them. */
  joining: Map<Room, Set<PendingJoin>>;
}

export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** The sockets of a member this replica holds (each joined `user:<memberId>` on connect). */
export function socketsOf(io: LiveServer, memberId: string): LiveSocket[] {
  const ids = io.of('/').adapter.rooms.get(rooms.user(memberId)) ?? new Set<string>();
  // A copy: callers may make sockets leave the room while walking it.
  return [...ids].flatMap((id) => io.of('/').sockets.get(id) ?? []);
}

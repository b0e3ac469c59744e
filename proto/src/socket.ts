import { z } from 'zod';
import type { ErrorBody, ErrorCode } from './errors.js';

/** Sent once the socket is authenticated and joined to its rooms. */
export const socketReadySchema = z.strictObject({
  memberId: z.string(),
  serverTime: z.iso.datetime(),
});

/** Refusal reasons a client can act on (socket.io `connect_error` with `err.data.code`). */
export const socketAuthErrors = {
  missing: 'UNAUTHENTICATED',
  expired: 'TOKEN_EXPIRED',
  invalid: 'UNAUTHENTICATED',
  /** Too many handshakes from this address: reconnect after `retryAfterSeconds`. */
  rateLimited: 'RATE_LIMITED',
} as const;

/** `err.data` of a refused handshake. */
export interface SocketRefusal {
  code: ErrorCode;
  message: string;
  retryAfterSeconds?: number;
}

export interface ServerToClientEvents {
  ready: (payload: z.infer<typeof socketReadySchema>) => void;
  /** The member's own account changed (another tab, an admin): refresh what is shown. */
  'me.updated': (payload: { fields: string[] }) => void;
  /** The access token expired while connected: refresh and reconnect. */
  'session.expired': (payload: { reason: string }) => void;
}

export const pingSchema = z.strictObject({ sentAt: z.number() });
export type Ack<T> = (reply: { ok: true; data: T } | { ok: false; error: ErrorBody }) => void;

export interface ClientToServerEvents {
  /** Round-trip check used by the connection indicator. */
  ping: (
    payload: z.infer<typeof pingSchema>,
    ack: Ack<{ sentAt: number; serverTime: number }>,
  ) => void;
}

export const socketPath = '/socket.io';

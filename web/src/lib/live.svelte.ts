import { io, type Socket } from 'socket.io-client';
import { socketAuthErrors, socketPath, type ClientToServerEvents, type ServerToClientEvents } from '@agora/proto';
import type { Session } from './session.svelte.js';

export type LiveState = 'connected' | 'connecting' | 'offline';

/**
 * The member's socket.io connection and its state for the indicator. Authenticates with the
 * in-memory access token; a TOKEN_EXPIRED refusal (or a `session.expired` push) refreshes the
 * session once and reconnects with the new token.
 */
export class LiveConnection {
  state = $state<LiveState>('offline');
  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #session: Session;

  constructor(session: Session) {
    this.#session = session;
  }

  connect(): void {
    if (this.#socket) return;
    this.state = 'connecting';
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: socketPath,
      // A function, so every (re)connection sends the token current at that moment.
      auth: (cb) => cb({ token: this.#session.accessToken ?? '' }),
      transports: ['websocket', 'polling'],
    });
    this.#socket = socket;
    socket.on('connect', () => (this.state = 'connected'));
    socket.on('disconnect', (reason) => {
      this.state = 'offline';
      // The server hung up on purpose (e.g. expired token): socket.io won't retry by itself.
      if (reason === 'io server disconnect') void this.#renewAndReconnect();
    });
    socket.io.on('reconnect_attempt', () => (this.state = 'connecting'));
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      this.state = 'offline';
      if (err.data?.code === socketAuthErrors.expired) void this.#renewAndReconnect();
    });
    socket.on('session.expired', () => void this.#renewAndReconnect());
  }

  async #renewAndReconnect(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    this.state = 'connecting';
    socket.disconnect();
    if ((await this.#session.refresh()) && this.#socket === socket) socket.connect();
    else this.state = 'offline';
  }

  disconnect(): void {
    this.#socket?.removeAllListeners();
    this.#socket?.io.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
    this.state = 'offline';
  }
}

import { io, type Socket } from 'socket.io-client';
import {
  socketAuthErrors,
  socketPath,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketRefusal,
} from '@agora/proto';
import { EventListeners } from './event-listeners.js';
import { SpaceFollows } from './space-follows.js';
import { ChannelFollows, type ChannelListener } from './chat/channel-follows.js';

/** What the connection needs from the session: the current token and a way to renew it. */
export interface LiveSession {
  readonly accessToken: string | null;
  refresh(): Promise<boolean>;
}

export type LiveState = 'connected' | 'connecting' | 'offline';

/**
 * The member's socket.io connection and its state for the indicator. Authenticates with the
 * in-memory access token; a TOKEN_EXPIRED refusal (or a `session.expired` push) refreshes the
 * session once and reconnects with the new token; a RATE_LIMITED refusal reconnects after the
 * time the server names.
 */
export class LiveConnection {
  state = $state<LiveState>('offline');
  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #session: LiveSession;
  #url: string | undefined;
  #renewing = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #onMeUpdated: () => void;
  /** Spaces this tab follows, with their listeners: rejoined after every (re)connection. */
  #spaces = new SpaceFollows();
  /** Channels this tab follows: rejoined after every (re)connection, then told to catch up. */
  #channels = new ChannelFollows();
  /** Listeners of one server event with its payload (see `onEvent`), kept across reconnections. */
  #eventListeners = new EventListeners();

  /**
   * `onMeUpdated` runs when the server says the member's account changed elsewhere (another tab,
   * an admin). `url` is for tests; in the browser the socket goes to the page's own origin.
   */
  constructor(
    session: LiveSession,
    { onMeUpdated = () => undefined, url }: { onMeUpdated?: () => void; url?: string } = {},
  ) {
    this.#session = session;
    this.#url = url;
    this.#onMeUpdated = onMeUpdated;
  }

  connect(): void {
    if (this.#socket) return;
    this.state = 'connecting';
    const options = {
      path: socketPath,
      // A function, so every (re)connection sends the token current at that moment.
      auth: (cb) => cb({ token: this.#session.accessToken ?? '' }),
      // WebSocket only: the origin spreads connections over GATEWAY_REPLICAS without stickiness, and
      // long-polling's separate requests of one session would reach different replicas.
      transports: ['websocket'],
    } satisfies Parameters<typeof io>[1];
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = this.#url
      ? io(this.#url, options)
      : io(options);
    this.#socket = socket;
    socket.on('connect', () => {
      this.state = 'connected';
      // A new connection starts in no room: join the followed spaces again.
      for (const spaceId of this.#spaces.spaces()) this.#join(socket, spaceId);
      for (const channelId of this.#channels.channels()) this.#joinChannel(socket, channelId);
    });
    // Any event about a followed space (status, members, reviews…) tells its listeners.
    socket.onAny((event: string, payload: unknown) => {
      const spaceId = (payload as { spaceId?: unknown } | null)?.spaceId;
      if (typeof spaceId === 'string') this.#spaces.notify(spaceId, event);
      const channelId = (payload as { channelId?: unknown } | null)?.channelId;
      if (typeof channelId === 'string') this.#channels.notify(channelId, event, payload);
      this.#eventListeners.emit(event, payload);
    });
    socket.on('channel.left', ({ channelId }) => this.#channels.refused(channelId, 'FORBIDDEN'));
    socket.on('disconnect', (reason) => {
      this.state = 'offline';
      this.#channels.disconnected();
      // The server hung up on purpose (e.g. expired token): socket.io won't retry by itself.
      if (reason === 'io server disconnect') void this.#renewAndReconnect();
    });
    socket.io.on('reconnect_attempt', () => (this.state = 'connecting'));
    socket.on('connect_error', (err: Error & { data?: Partial<SocketRefusal> }) => {
      this.state = 'offline';
      if (err.data?.code === socketAuthErrors.expired) void this.#renewAndReconnect();
      // A refusal by the server is not retried by socket.io itself: come back when it says (too
      // many handshakes, or a gateway still loading its view of accounts).
      if (
        err.data?.code === socketAuthErrors.rateLimited ||
        err.data?.code === socketAuthErrors.unavailable
      ) {
        clearTimeout(this.#retry);
        this.#retry = setTimeout(
          () => {
            if (this.#socket === socket) socket.connect();
          },
          (err.data.retryAfterSeconds ?? 5) * 1000,
        );
      }
    });
    socket.on('session.expired', () => void this.#renewAndReconnect());
    socket.on('me.updated', () => this.#onMeUpdated());
  }

  /**
   * Follows a space live (room `space:<id>`): `listener` hears the name of every event about it
   * until the returned function is called. A refused join (not a member) just hears nothing.
   */
  followSpace(spaceId: string, listener: (event: string) => void): () => void {
    if (this.#spaces.add(spaceId, listener) && this.#socket?.connected) {
      this.#join(this.#socket, spaceId);
    }
    return () => {
      if (this.#spaces.remove(spaceId, listener) && this.#socket?.connected) {
        this.#socket.emit('space.leave', { spaceId }, () => undefined);
      }
    };
  }

  /**
   * Hears one server event with its payload (events whose payload names no `spaceId`, such as a
   * session's `session.phase`, reach no `followSpace` listener) until the returned function runs.
   * The room must be joined separately, e.g. with `followSpace`.
   */
  onEvent<E extends keyof ServerToClientEvents>(
    event: E,
    listener: (payload: Parameters<ServerToClientEvents[E]>[0]) => void,
  ): () => void {
    return this.#eventListeners.add(event, listener as (payload: unknown) => void);
  }

  /**
   * How far the server's clock is ahead of this one (ms), from one ping: the server read its clock
   * between sending and answering, so the round trip's midpoint is taken. Null when not connected
   * or not answered within `timeoutMs`.
   */
  clockOffset(timeoutMs = 5000): Promise<number | null> {
    const socket = this.#socket;
    if (!socket?.connected) return Promise.resolve(null);
    return new Promise((resolve) => {
      const sentAt = Date.now();
      const timer = setTimeout(() => resolve(null), timeoutMs);
      socket.emit('ping', { sentAt }, (reply) => {
        clearTimeout(timer);
        const receivedAt = Date.now();
        resolve(reply.ok ? reply.data.serverTime - (sentAt + receivedAt) / 2 : null);
      });
    });
  }

  #join(socket: Socket<ServerToClientEvents, ClientToServerEvents>, spaceId: string): void {
    socket.emit('space.join', { spaceId }, () => undefined);
  }

  /**
   * Follows a channel live (room `channel:<id>`): the listener hears every event naming it, and
   * `joined` each time the socket is (again) in the room — the moment to catch up on history.
   */
  followChannel(channelId: string, listener: ChannelListener): () => void {
    const first = this.#channels.add(channelId, listener);
    if (first && this.#socket?.connected) this.#joinChannel(this.#socket, channelId);
    else if (!first && this.#channels.isJoined(channelId)) queueMicrotask(() => listener.joined());
    return () => {
      if (this.#channels.remove(channelId, listener) && this.#socket?.connected) {
        this.#socket.emit('channel.leave', { channelId }, () => undefined);
      }
    };
  }

  /** Tells the channel's room this member is typing (the server drops it unless the room is joined). */
  typing(channelId: string): void {
    if (this.#socket?.connected && this.#channels.isJoined(channelId)) {
      this.#socket.emit('typing', { channelId });
    }
  }

  #joinChannel(
    socket: Socket<ServerToClientEvents, ClientToServerEvents>,
    channelId: string,
  ): void {
    socket.emit('channel.join', { channelId }, (reply) => {
      // An answer to a join of an earlier connection, or for a channel nobody follows any more.
      if (this.#socket !== socket || !socket.connected || !this.#channels.has(channelId)) return;
      if (reply.ok) this.#channels.joined(channelId);
      else this.#channels.refused(channelId, reply.error.code);
    });
  }

  /** The expiry push and the server's hang-up both land here: one renewal at a time. */
  async #renewAndReconnect(): Promise<void> {
    const socket = this.#socket;
    if (!socket || this.#renewing) return;
    this.#renewing = true;
    socket.disconnect();
    this.state = 'connecting';
    try {
      if ((await this.#session.refresh()) && this.#socket === socket) socket.connect();
      else this.state = 'offline';
    } finally {
      this.#renewing = false;
    }
  }

  disconnect(): void {
    clearTimeout(this.#retry);
    this.#socket?.removeAllListeners();
    this.#socket?.io.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
    this.state = 'offline';
  }
}

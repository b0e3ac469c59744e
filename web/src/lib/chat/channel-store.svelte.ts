import {
  channelLiveSchema,
  chatLimits,
  typingLiveSchema,
  typingTtlMs,
  type ChannelLive,
  type ChannelView,
  type MessageView,
} from '@agora/proto';
import { ApiError } from '../api/errors.js';
import type { ChannelListener } from './channel-follows.js';
import { SendQueue, type PendingMessage, type SendOutcome } from './send-queue.js';
import { Timeline, type Span } from './timeline.js';
import { TypingTracker } from './typing-tracker.js';

/** A history request: at most one of `after`, `before`, `around` (none: the newest page). */
export interface PageQuery {
  after?: number;
  before?: number;
  around?: number;
  limit?: number;
}

/** What the store asks the server (REST), for one channel or one thread of it. */
export interface ChannelApi {
  channel(): Promise<ChannelView>;
  page(query: PageQuery): Promise<{ messages: MessageView[]; hasMore: boolean }>;
  send(input: {
    body: string;
    clientMessageId: string;
    threadOf?: string;
    attachmentIds?: string[];
  }): Promise<MessageView>;
  markRead(seq: number): Promise<number>;
}

/** What the store needs of the socket: follow the channel's room, say the member is typing. */
export interface ChannelSocket {
  followChannel(channelId: string, listener: ChannelListener): () => void;
  typing(channelId: string): void;
}

export type ChannelStatus = 'loading' | 'ready' | 'forbidden' | 'error';

export interface ChannelStoreOptions {
  channelId: string;
  /** The signed-in member (their own messages acknowledge their pending sends). */
  memberId: string;
  /** Read one thread (its root's id) instead of the channel's top level. */
  threadOf?: string | null;
  api: ChannelApi;
  socket: ChannelSocket;
  /** A fresh client message id (tests pass a counter). */
  newClientId?: () => string;
  now?: () => number;
  /** How long a read position waits before it is sent (several scrolls, one request). */
  readDelayMs?: number;
}

const pageSize = 50;
/** A catch-up asks the biggest pages the server gives. */
const catchUpPage = chatLimits.pageMax;
/** How often the typing indicator drops typists who went quiet. */
const typingSweepMs = 1000;
/** The member's own typing is told at most this often (the server's limit). */
const typingEveryMs = 2000;

function defaultClientId(): string {
  return crypto.randomUUID();
}

/** What a failed send means for the queue: worth another try, or refused for good. */
export function sendOutcomeOf(err: unknown): SendOutcome<never> {
  if (!(err instanceof ApiError)) return { kind: 'retry' };
  if (err.code === 'NETWORK' || err.status >= 500 || err.code === 'UNAVAILABLE') {
    return { kind: 'retry' };
  }
  if (err.code === 'RATE_LIMITED') {
    const details = err.details as { retryAfterSeconds?: unknown } | undefined;
    const seconds = typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : 2;
    return { kind: 'retry', afterMs: seconds * 1000 };
  }
  return { kind: 'refused', code: err.code };
}

/**
 * One channel (or one thread) as a tab shows it: history with cursor pages, live changes from the
 * room, catch-up after every (re)join so a member who was away gets exactly what they missed,
 * optimistic sends retried with the same `clientMessageId`, typing and read positions.
 */
export class ChannelStore {
  /**
   * Messages to show, oldest first: the channel's top level, or one thread's replies (placeholders
   * of lost sends are left out).
   */
  messages = $state.raw<MessageView[]>([]);
  pending = $state.raw<readonly PendingMessage[]>([]);
  status = $state<ChannelStatus>('loading');
  /** The channel as chat describes it to me (my read position, moderator, muted). */
  channel = $state.raw<ChannelView | null>(null);
  /** Known holes between loaded stretches (after a jump): each can be loaded. */
  gaps = $state.raw<Span[]>([]);
  reachedStart = $state(false);
  loadingOlder = $state(false);
  /** The socket is in the channel's room: live changes arrive. */
  live = $state(false);
  /** Members typing now (never me). */
  typing = $state.raw<string[]>([]);
  /** Read positions heard from the room, by member (mine included). */
  reads = $state.raw<Record<string, number>>({});
  /** My read position (moves forward only). */
  readSeq = $state(0);
  /**
   * Where "new" starts for this visit: my read position when the channel opened. Stays put while
   * I read, so the marker does not run away from under my eyes.
   */
  unreadAfter = $state<number | null>(null);

  readonly channelId: string;
  readonly threadOf: string | null;
  readonly #memberId: string;
  readonly #api: ChannelApi;
  readonly #socket: ChannelSocket;
  readonly #now: () => number;
  readonly #newClientId: () => string;
  readonly #readDelayMs: number;
  readonly #timeline = new Timeline<MessageView>({
    // A copy older than the held one (a page asked before an edit) does not undo the edit.
    fresher: (held, incoming) => (incoming.editedAt ?? '') >= (held.editedAt ?? ''),
  });
  readonly #queue: SendQueue<MessageView>;
  readonly #typists = new TypingTracker(typingTtlMs);
  #typingSweep: ReturnType<typeof setInterval> | undefined;
  #lastTypingSent = 0;
  #loaded: Promise<void> | null = null;
  #catchingUp = false;
  #catchUpAgain = false;
  #readTimer: ReturnType<typeof setTimeout> | undefined;
  #readSent = 0;
  #stopFollowing: (() => void) | null = null;
  #closed = false;

  constructor(options: ChannelStoreOptions) {
    this.channelId = options.channelId;
    this.threadOf = options.threadOf ?? null;
    this.#memberId = options.memberId;
    this.#api = options.api;
    this.#socket = options.socket;
    this.#now = options.now ?? (() => Date.now());
    this.#newClientId = options.newClientId ?? defaultClientId;
    this.#readDelayMs = options.readDelayMs ?? 400;
    this.#queue = new SendQueue<MessageView>({
      send: async (outgoing) => {
        try {
          const message = await this.#api.send({
            body: outgoing.body,
            clientMessageId: outgoing.clientMessageId,
            ...(outgoing.threadOf ? { threadOf: outgoing.threadOf } : {}),
            ...(outgoing.attachmentIds.length > 0
              ? { attachmentIds: [...outgoing.attachmentIds] }
              : {}),
          });
          return { kind: 'sent', message };
        } catch (err) {
          return sendOutcomeOf(err);
        }
      },
      onSent: (message) => this.#heard(message),
      onChange: (pending) => (this.pending = pending),
    });
  }

  /** Loads the newest page and follows the room until `close()`. */
  open(): void {
    if (this.#loaded) return;
    this.#loaded = this.#loadLatest();
    this.#stopFollowing = this.#socket.followChannel(this.channelId, {
      event: (name, payload) => this.hear(name, payload),
      joined: () => {
        this.live = true;
        this.#queue.resume();
        void this.#loaded?.then(() => this.catchUp());
      },
      left: () => (this.live = false),
      refused: (code) => {
        this.live = false;
        if (code === 'FORBIDDEN') this.status = 'forbidden';
      },
    });
  }

  close(): void {
    this.#closed = true;
    this.#stopFollowing?.();
    this.#stopFollowing = null;
    this.#queue.close();
    clearInterval(this.#typingSweep);
    this.#flushRead();
  }

  async #loadLatest(): Promise<void> {
    try {
      const [channel, page] = await Promise.all([
        this.threadOf ? Promise.resolve(null) : this.#api.channel(),
        this.#api.page({ limit: pageSize }),
      ]);
      if (channel) {
        this.channel = channel;
        this.readSeq = Math.max(this.readSeq, channel.readSeq);
        this.#readSent = this.readSeq;
        this.unreadAfter = channel.readSeq;
      }
      this.#timeline.addLatest(page.messages, page.hasMore);
      // A refused join said first that this member is not in the channel.
      if (this.status === 'loading') this.status = 'ready';
      this.#publish();
    } catch (err) {
      this.status = err instanceof ApiError && err.status === 403 ? 'forbidden' : 'error';
      throw err;
    }
  }

  /**
   * Asks `after=<syncedThrough>` until the server has nothing newer: whatever happened while the
   * socket was away, or what a live message past a hole revealed. One at a time; a request made
   * meanwhile runs once more at the end.
   */
  async catchUp(): Promise<void> {
    if (this.#closed || this.status !== 'ready') return;
    if (this.#catchingUp) {
      this.#catchUpAgain = true;
      return;
    }
    this.#catchingUp = true;
    try {
      do {
        this.#catchUpAgain = false;
        let hasMore = true;
        while (hasMore && !this.#closed) {
          const after = this.#timeline.syncedThrough;
          const page = await this.#api.page({ after, limit: catchUpPage });
          this.#timeline.addAfter(after, page.messages, page.hasMore);
          hasMore = page.hasMore;
          this.#publish();
        }
      } while (this.#catchUpAgain && !this.#closed);
    } catch {
      // The connection failed again: the next join catches up from where this one stopped.
    } finally {
      this.#catchingUp = false;
    }
  }

  /** One page further back ("load older"). */
  async loadOlder(): Promise<void> {
    const before = this.#timeline.oldestKnown;
    if (this.loadingOlder || this.reachedStart || before === undefined) return;
    this.loadingOlder = true;
    try {
      const page = await this.#api.page({ before, limit: pageSize });
      this.#timeline.addBefore(before, page.messages, page.hasMore);
      this.#publish();
    } finally {
      this.loadingOlder = false;
    }
  }

  /** Loads one page into a hole left by a jump, from its older side. */
  async fillGap(gap: Span): Promise<void> {
    const after = gap.from - 1;
    const page = await this.#api.page({ after, limit: catchUpPage });
    this.#timeline.addAfter(after, page.messages, page.hasMore);
    this.#publish();
  }

  /**
   * Makes sure the message with this seq is loaded (a jump from search or a link): a window
   * around it when it is not. Returns the message, or undefined when the channel has none there.
   */
  async reveal(seq: number): Promise<MessageView | undefined> {
    const held = this.#timeline.bySeq(seq);
    if (held) return held;
    const page = await this.#api.page({ around: seq, limit: pageSize / 2 });
    this.#timeline.addWindow(page.messages);
    this.#publish();
    return this.#timeline.bySeq(seq);
  }

  /** Queues a message (with attachments already uploaded): shown at once as pending, sent in order, retried until the server has it. */
  send(body: string, attachmentIds: readonly string[] = []): void {
    const text = body.trim();
    if (!text && attachmentIds.length === 0) return;
    this.#queue.enqueue({
      clientMessageId: this.#newClientId(),
      body: text,
      threadOf: this.threadOf,
      attachmentIds,
    });
  }

  retry(clientMessageId: string): void {
    this.#queue.retry(clientMessageId);
  }

  discard(clientMessageId: string): void {
    this.#queue.discard(clientMessageId);
  }

  /** A message changed by my own request (edit, reaction, hide): shown before the room tells. */
  replace(message: MessageView): void {
    if (this.#timeline.update(message.id, () => message)) this.#publish();
  }

  /** I have seen everything up to `seq`: sent after a short pause, only forwards. */
  markRead(seq: number): void {
    if (this.threadOf || seq <= this.readSeq) return;
    this.readSeq = seq;
    this.reads = { ...this.reads, [this.#memberId]: seq };
    clearTimeout(this.#readTimer);
    this.#readTimer = setTimeout(() => this.#flushRead(), this.#readDelayMs);
  }

  #flushRead(): void {
    clearTimeout(this.#readTimer);
    if (this.readSeq <= this.#readSent) return;
    const seq = this.readSeq;
    this.#readSent = seq;
    void this.#api.markRead(seq).catch(() => {
      // Not stored: the next read position (or the next visit) carries it.
      if (this.#readSent === seq) this.#readSent = 0;
    });
  }

  /** The member typed in the composer: the room hears it at most every 2 s. */
  typed(): void {
    const now = this.#now();
    if (now - this.#lastTypingSent < typingEveryMs) return;
    this.#lastTypingSent = now;
    this.#socket.typing(this.channelId);
  }

  /**
   * One event from the channel's room, checked against its contract: events of another channel,
   * of other kinds (membership) or malformed are ignored.
   */
  hear(event: string, payload: unknown): void {
    if (this.#closed) return;
    if (event === 'typing') {
      const typing = typingLiveSchema.safeParse(payload);
      if (typing.success && typing.data.channelId === this.channelId) {
        this.#typingHeard(typing.data.memberId);
      }
      return;
    }
    const change = channelLiveSchema.safeParse({ event, payload });
    if (change.success && change.data.payload.channelId === this.channelId)
      this.#apply(change.data);
  }

  #apply(change: ChannelLive): void {
    switch (change.event) {
      case 'message.created':
        this.#heard(change.payload.message);
        break;
      case 'message.updated':
        this.replace(change.payload.message);
        break;
      case 'message.deleted':
        if (
          this.#timeline.update(change.payload.messageId, (m) => ({
            ...m,
            deleted: true,
            body: '',
            html: '',
            reactions: [],
          }))
        ) {
          this.#publish();
        }
        break;
      case 'reaction.changed':
        if (
          this.#timeline.update(change.payload.messageId, (m) => ({
            ...m,
            reactions: change.payload.reactions,
          }))
        ) {
          this.#publish();
        }
        break;
      case 'read.changed':
        this.#readHeard(change.payload.memberId, change.payload.readSeq);
        break;
    }
  }

  /** A message reached us (live, or as the reply to my send). */
  #heard(message: MessageView): void {
    if (message.authorId === this.#memberId) this.#queue.acknowledge(message.clientMessageId);
    if (message.authorId) this.#stopTyping(message.authorId);
    if (message.threadOf === this.threadOf) this.#timeline.addLive(message);
    // Not of this view (a thread reply in the channel, the channel in a thread): its seq is known.
    else this.#timeline.skip(message.seq);
    this.#publish();
    if (this.#timeline.behind && this.status === 'ready') void this.catchUp();
  }

  #readHeard(memberId: string, readSeq: number): void {
    if ((this.reads[memberId] ?? 0) >= readSeq) return;
    this.reads = { ...this.reads, [memberId]: readSeq };
    // Read in another tab of mine: the unread count here follows.
    if (memberId === this.#memberId && readSeq > this.readSeq) {
      this.readSeq = readSeq;
      this.#readSent = Math.max(this.#readSent, readSeq);
    }
  }

  #typingHeard(memberId: string): void {
    if (memberId === this.#memberId) return;
    this.#typists.heard(memberId, this.#now());
    this.#typingSweep ??= setInterval(() => this.#sweepTyping(), typingSweepMs);
    this.#publishTyping();
  }

  #stopTyping(memberId: string): void {
    if (this.#typists.stop(memberId)) this.#publishTyping();
  }

  #sweepTyping(): void {
    this.#typists.sweep(this.#now());
    this.#publishTyping();
    if (this.#typists.size === 0) {
      clearInterval(this.#typingSweep);
      this.#typingSweep = undefined;
    }
  }

  #publishTyping(): void {
    const next = this.#typists.members();
    if (next.join() !== this.typing.join()) this.typing = next;
  }

  #publish(): void {
    // A channel's pages hold its thread replies too (every seq, so no gap): each view shows its own.
    this.messages = this.#timeline
      .messages()
      .filter((m) => m.authorId !== null && m.threadOf === this.threadOf);
    this.gaps = this.#timeline.gaps();
    this.reachedStart = this.#timeline.reachedStart;
  }

  /** Messages after my read position that others wrote (the unread count of this view). */
  get unread(): number {
    return this.messages.filter((m) => m.seq > this.readSeq && m.authorId !== this.#memberId)
      .length;
  }

  /** The newest seq this tab holds in order (what a read position can reach). */
  get syncedThrough(): number {
    return this.#timeline.syncedThrough;
  }
}

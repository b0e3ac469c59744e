import { afterEach, describe, expect, it } from 'vitest';
import { typingTtlMs, type ChannelView, type MessageView } from '@agora/proto';
import { ApiError } from '../api/errors.js';
import type { ChannelListener } from './channel-follows.js';
import {
  ChannelStore,
  type ChannelApi,
  type ChannelSocket,
  type PageQuery,
} from './channel-store.svelte.js';

const channelId = 'c'.repeat(24);
const me = 'a'.repeat(24);
const other = 'b'.repeat(24);
const hex = (n: number) => n.toString(16).padStart(24, '0');

/**
 * Chat as the store sees it: one channel numbering every message from 1 without gaps, paged like
 * the real routes, answering a resent clientMessageId with the message it already stored. It can
 * drop replies after storing (the connection died on the way back) and refuse while offline.
 */
class FakeChat implements ChannelApi {
  stored: MessageView[] = [];
  readSeq = 0;
  offline = false;
  /** The next send is stored but its reply lost. */
  loseNextReply = false;
  requests: PageQuery[] = [];
  reads: number[] = [];
  sends: string[] = [];
  threadOf: string | undefined;
  #socket: FakeSocket;

  constructor(socket: FakeSocket) {
    this.#socket = socket;
  }

  /** Someone writes: stored, then told to the room (if this tab's socket is there). */
  post(
    authorId: string,
    body: string,
    options: { threadOf?: string; clientMessageId?: string } = {},
  ): MessageView {
    const seq = this.stored.length + 1;
    const message: MessageView = {
      id: hex(seq),
      channelId,
      seq,
      authorId,
      clientMessageId: options.clientMessageId ?? `c${seq}`,
      body,
      html: `<p>${body}</p>`,
      mentionIds: [],
      threadOf: options.threadOf ?? null,
      replyCount: 0,
      reactions: [],
      attachments: [],
      createdAt: new Date(Date.UTC(2026, 11, 1, 12, 0, seq)).toISOString(),
      editedAt: null,
      deleted: false,
      hiddenReason: null,
    };
    this.stored.push(message);
    this.#socket.emit('message.created', { channelId, message });
    return message;
  }

  channel(): Promise<ChannelView> {
    return Promise.resolve({
      id: channelId,
      kind: 'direct',
      memberIds: [me, other],
      lastSeq: this.stored.length,
      readSeq: this.readSeq,
      unread: 0,
      moderator: false,
      mutedUntil: null,
      lastMessageAt: null,
    });
  }

  page(query: PageQuery): Promise<{ messages: MessageView[]; hasMore: boolean }> {
    this.requests.push(query);
    if (this.offline) return Promise.reject(new ApiError(0, 'NETWORK', 'offline'));
    const limit = query.limit ?? 50;
    // Like chat: a thread's pages hold its replies; the channel's hold every seq, replies too.
    const scope = this.threadOf
      ? this.stored.filter((m) => m.threadOf === this.threadOf)
      : this.stored;
    let messages: MessageView[];
    let hasMore: boolean;
    if (query.after !== undefined) {
      const after = scope.filter((m) => m.seq > query.after!);
      messages = after.slice(0, limit);
      hasMore = after.length > limit;
    } else if (query.around !== undefined) {
      const older = scope.filter((m) => m.seq < query.around!).slice(-limit);
      const newer = scope.filter((m) => m.seq >= query.around!).slice(0, limit + 1);
      messages = [...older, ...newer];
      hasMore = true;
    } else {
      const before = scope.filter((m) => query.before === undefined || m.seq < query.before);
      messages = before.slice(-limit).reverse();
      hasMore = before.length > limit;
    }
    return Promise.resolve({ messages: structuredClone(messages), hasMore });
  }

  async send(input: {
    body: string;
    clientMessageId: string;
    threadOf?: string;
  }): Promise<MessageView> {
    this.sends.push(input.clientMessageId);
    // A request takes a while: the pending message shows meanwhile.
    await new Promise((r) => setTimeout(r, 0));
    if (this.offline) throw new ApiError(0, 'NETWORK', 'offline');
    const again = this.stored.find(
      (m) => m.authorId === me && m.clientMessageId === input.clientMessageId,
    );
    const message = again ?? this.post(me, input.body, input);
    if (this.loseNextReply) {
      this.loseNextReply = false;
      throw new ApiError(0, 'NETWORK', 'connection reset');
    }
    return structuredClone(message);
  }

  markRead(seq: number): Promise<number> {
    this.reads.push(seq);
    return Promise.resolve(seq);
  }
}

/** The room: delivers events while connected, says `joined` on every (re)join. */
class FakeSocket implements ChannelSocket {
  connected = true;
  listeners: ChannelListener[] = [];
  typed: string[] = [];
  refuse: string | null = null;
  /** Events held back to deliver later, out of order. */
  held: { name: string; payload: unknown }[] = [];
  holding = false;

  followChannel(id: string, listener: ChannelListener): () => void {
    this.listeners.push(listener);
    if (this.connected) queueMicrotask(() => this.#join(listener));
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  typing(id: string): void {
    this.typed.push(id);
  }

  emit(name: string, payload: unknown): void {
    if (!this.connected) return;
    if (this.holding) this.held.push({ name, payload });
    else for (const l of this.listeners) l.event(name, payload);
  }

  release(
    order: (held: { name: string; payload: unknown }[]) => { name: string; payload: unknown }[],
  ) {
    this.holding = false;
    for (const e of order(this.held)) for (const l of this.listeners) l.event(e.name, e.payload);
    this.held = [];
  }

  drop(): void {
    this.connected = false;
    for (const l of this.listeners) l.left?.();
  }

  reconnect(): void {
    this.connected = true;
    for (const l of this.listeners) this.#join(l);
  }

  #join(listener: ChannelListener): void {
    if (this.refuse) listener.refused?.(this.refuse);
    else listener.joined();
  }
}

let counter = 0;
let store: ChannelStore | undefined;
function harness(options: { threadOf?: string; now?: () => number } = {}) {
  const socket = new FakeSocket();
  const chat = new FakeChat(socket);
  const open = () => {
    store = new ChannelStore({
      channelId,
      memberId: me,
      api: chat,
      socket,
      threadOf: options.threadOf,
      newClientId: () => `local-${++counter}`,
      readDelayMs: 0,
      now: options.now,
    });
    store.open();
    return store;
  };
  return { socket, chat, open };
}

const settle = async (rounds = 5) => {
  for (let i = 0; i < rounds; i += 1) await new Promise((r) => setTimeout(r, 0));
};
const seqsOf = (s: ChannelStore) => s.messages.map((m) => m.seq);
const serverSeqs = (chat: FakeChat, threadOf: string | null = null) =>
  chat.stored.filter((m) => m.threadOf === threadOf).map((m) => m.seq);

afterEach(() => {
  store?.close();
  store = undefined;
});

describe('ChannelStore', () => {
  it('opens on the newest page, oldest first, and follows the room', async () => {
    const { chat, open } = harness();
    for (let i = 1; i <= 60; i += 1) chat.post(other, `m${i}`);
    const s = open();
    await settle();
    expect(s.status).toBe('ready');
    expect(s.live).toBe(true);
    expect(seqsOf(s)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    expect(s.reachedStart).toBe(false);
    chat.post(other, 'live');
    expect(seqsOf(s).at(-1)).toBe(61);
  });

  it('a member who was offline gets exactly what they missed, in order, after reconnecting', async () => {
    const { chat, socket, open } = harness();
    for (let i = 1; i <= 5; i += 1) chat.post(other, `m${i}`);
    const s = open();
    await settle();
    socket.drop();
    expect(s.live).toBe(false);
    for (let i = 6; i <= 235; i += 1) chat.post(other, `missed ${i}`);
    expect(seqsOf(s).at(-1)).toBe(5);
    socket.reconnect();
    await settle(20);
    expect(s.live).toBe(true);
    expect(seqsOf(s)).toEqual(serverSeqs(chat));
    // Three pages of 100 after the last seq held, none before it.
    expect(chat.requests.filter((q) => q.after !== undefined).map((q) => q.after)).toEqual([
      5, 5, 105, 205,
    ]);
  });

  it('live messages arriving during a catch-up leave no duplicate', async () => {
    const { chat, socket, open } = harness();
    chat.post(other, 'first');
    const s = open();
    await settle();
    socket.drop();
    for (let i = 0; i < 150; i += 1) chat.post(other, `away ${i}`);
    socket.reconnect();
    // Messages keep flowing while the pages come in.
    chat.post(other, 'during 1');
    chat.post(me, 'during 2');
    await settle(20);
    chat.post(other, 'after');
    const seqs = seqsOf(s);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(serverSeqs(chat));
  });

  it('out-of-order and repeated live deliveries end in the server’s order', async () => {
    const { chat, socket, open } = harness();
    chat.post(other, 'one');
    const s = open();
    await settle();
    socket.holding = true;
    for (let i = 0; i < 6; i += 1) chat.post(other, `burst ${i}`);
    socket.release((held) => [...held].reverse().concat(held.slice(0, 2)));
    await settle(10);
    expect(seqsOf(s)).toEqual(serverSeqs(chat));
  });

  it('a live message past a hole (a lost delivery) makes the store fetch the missing ones', async () => {
    const { chat, socket, open } = harness();
    chat.post(other, 'one');
    const s = open();
    await settle();
    socket.holding = true;
    chat.post(other, 'lost on the way');
    socket.held = [];
    socket.holding = false;
    chat.post(other, 'three');
    await settle(10);
    expect(seqsOf(s)).toEqual([1, 2, 3]);
  });

  it('shows a message as pending at once and once only when the server has it', async () => {
    const { chat, open } = harness();
    const s = open();
    await settle();
    s.send('  hello  ');
    expect(s.pending.map((p) => [p.body, p.state])).toEqual([['hello', 'sending']]);
    await settle();
    expect(s.pending).toEqual([]);
    expect(s.messages.map((m) => m.body)).toEqual(['hello']);
    expect(chat.stored).toHaveLength(1);
  });

  it('a send whose reply was lost is retried after the reconnect with the same id: stored once', async () => {
    const { chat, socket, open } = harness();
    const s = open();
    await settle();
    // The socket is down too, so the room does not tell us it arrived.
    socket.drop();
    chat.loseNextReply = true;
    s.send('did it arrive?');
    await settle();
    expect(s.pending.map((p) => p.state)).toEqual(['waiting']);
    expect(chat.stored).toHaveLength(1);
    socket.reconnect();
    await settle(10);
    expect(chat.sends).toEqual(['local-' + String(counter), 'local-' + String(counter)]);
    expect(chat.stored).toHaveLength(1);
    expect(s.pending).toEqual([]);
    expect(s.messages.map((m) => m.body)).toEqual(['did it arrive?']);
  });

  it('messages written offline go out in order after the reconnect', async () => {
    const { chat, socket, open } = harness();
    const s = open();
    await settle();
    socket.drop();
    chat.offline = true;
    s.send('one');
    s.send('two');
    await settle();
    expect(s.pending.map((p) => p.state)).toEqual(['waiting', 'sending']);
    chat.offline = false;
    socket.reconnect();
    await settle(10);
    expect(chat.stored.map((m) => m.body)).toEqual(['one', 'two']);
    expect(s.messages.map((m) => m.body)).toEqual(['one', 'two']);
  });

  it('a refused send stays failed with its reason until retried or discarded', async () => {
    const { chat, open } = harness();
    const s = open();
    await settle();
    chat.send = () => Promise.reject(new ApiError(403, 'FORBIDDEN', 'muted'));
    s.send('nope');
    await settle();
    expect(s.pending.map((p) => [p.state, p.error])).toEqual([['failed', 'FORBIDDEN']]);
    s.discard(s.pending[0]!.clientMessageId);
    expect(s.pending).toEqual([]);
  });

  it('a thread view holds its replies only; the channel’s other messages open no gap', async () => {
    const { chat, open } = harness({ threadOf: hex(1) });
    chat.post(other, 'root');
    chat.post(other, 'reply 1', { threadOf: hex(1) });
    chat.threadOf = hex(1);
    const s = open();
    await settle();
    expect(s.messages.map((m) => m.body)).toEqual(['reply 1']);
    const before = chat.requests.length;
    chat.post(other, 'elsewhere');
    chat.post(other, 'reply 2', { threadOf: hex(1) });
    await settle();
    expect(s.messages.map((m) => m.body)).toEqual(['reply 1', 'reply 2']);
    // The channel messages were known to be elsewhere, so no catch-up was needed beyond the join's.
    expect(chat.requests.slice(before)).toEqual([]);
    s.send('my reply');
    await settle();
    expect(chat.stored.at(-1)?.threadOf).toBe(hex(1));
  });

  it('thread replies in the channel’s pages are held (no gap) but shown in their thread only', async () => {
    const { chat, socket, open } = harness();
    chat.post(other, 'root');
    chat.post(other, 'reply', { threadOf: hex(1) });
    chat.post(other, 'next');
    const s = open();
    await settle();
    expect(s.messages.map((m) => m.body)).toEqual(['root', 'next']);
    socket.drop();
    chat.post(other, 'reply 2', { threadOf: hex(1) });
    chat.post(other, 'after');
    socket.reconnect();
    await settle(10);
    expect(s.messages.map((m) => m.body)).toEqual(['root', 'next', 'after']);
    expect(s.syncedThrough).toBe(5);
  });

  it('the channel view leaves thread replies to their thread', async () => {
    const { chat, open } = harness();
    chat.post(other, 'root');
    const s = open();
    await settle();
    chat.post(other, 'a reply', { threadOf: hex(1) });
    chat.post(other, 'next');
    await settle();
    expect(s.messages.map((m) => m.body)).toEqual(['root', 'next']);
  });

  it('edits, deletions and reactions replace the held message', async () => {
    const { chat, socket, open } = harness();
    const posted = chat.post(other, 'typo');
    const s = open();
    await settle();
    socket.emit('message.updated', {
      channelId,
      message: {
        ...posted,
        body: 'fixed',
        html: '<p>fixed</p>',
        editedAt: new Date().toISOString(),
      },
    });
    expect(s.messages[0]!.body).toBe('fixed');
    socket.emit('reaction.changed', {
      channelId,
      messageId: posted.id,
      reactions: [{ emoji: '👍', count: 1, memberIds: [me] }],
    });
    expect(s.messages[0]!.reactions[0]!.emoji).toBe('👍');
    socket.emit('message.deleted', { channelId, messageId: posted.id, seq: 1 });
    expect(s.messages[0]).toMatchObject({ deleted: true, html: '', reactions: [] });
  });

  it('ignores malformed events and events of another channel', async () => {
    const { socket, open } = harness();
    const s = open();
    await settle();
    socket.emit('message.created', { channelId, message: { id: 'x' } });
    socket.emit('message.created', { channelId: 'd'.repeat(24), message: {} });
    socket.emit('typing', { channelId: 'd'.repeat(24), memberId: other });
    expect(s.messages).toEqual([]);
    expect(s.typing).toEqual([]);
  });

  it('read positions: mine moves forward only and is sent once per pause; others’ are heard', async () => {
    const { chat, socket, open } = harness();
    for (let i = 1; i <= 4; i += 1) chat.post(other, `m${i}`);
    chat.readSeq = 2;
    const s = open();
    await settle();
    expect(s.unreadAfter).toBe(2);
    expect(s.unread).toBe(2);
    s.markRead(3);
    s.markRead(4);
    s.markRead(1);
    await settle();
    expect(chat.reads).toEqual([4]);
    expect(s.readSeq).toBe(4);
    expect(s.unreadAfter).toBe(2);
    socket.emit('read.changed', { channelId, memberId: other, readSeq: 3 });
    socket.emit('read.changed', { channelId, memberId: other, readSeq: 2 });
    expect(s.reads[other]).toBe(3);
  });

  it('shows who types until they send or go quiet, never me; tells the room at most every 2 s', async () => {
    let now = 0;
    const { chat, socket, open } = harness({ now: () => now });
    const s = open();
    await settle();
    socket.emit('typing', { channelId, memberId: other });
    socket.emit('typing', { channelId, memberId: me });
    expect(s.typing).toEqual([other]);
    chat.post(other, 'done');
    expect(s.typing).toEqual([]);
    socket.emit('typing', { channelId, memberId: other });
    now += typingTtlMs + 1;
    await new Promise((r) => setTimeout(r, 1100));
    expect(s.typing).toEqual([]);

    now = 10_000;
    s.typed();
    s.typed();
    now += 2500;
    s.typed();
    expect(socket.typed).toHaveLength(2);
  });

  it('loads older pages until the start', async () => {
    const { chat, open } = harness();
    for (let i = 1; i <= 120; i += 1) chat.post(other, `m${i}`);
    const s = open();
    await settle();
    await s.loadOlder();
    await s.loadOlder();
    expect(seqsOf(s)).toEqual(serverSeqs(chat));
    expect(s.reachedStart).toBe(true);
  });

  it('a jump far back loads a window around the message, with the hole loadable', async () => {
    const { chat, open } = harness();
    for (let i = 1; i <= 300; i += 1) chat.post(other, `m${i}`);
    const s = open();
    await settle();
    const found = await s.reveal(40);
    expect(found?.body).toBe('m40');
    expect(s.gaps).toHaveLength(1);
    const gap = s.gaps[0]!;
    expect(gap.from).toBeGreaterThan(40);
    expect(gap.to).toBe(250);
    while (s.gaps.length > 0) await s.fillGap(s.gaps[0]!);
    expect(seqsOf(s)).toEqual(serverSeqs(chat).filter((seq) => seq >= found!.seq - 25));
  });

  it('a refused join marks the channel forbidden', async () => {
    const { socket, open } = harness();
    socket.refuse = 'FORBIDDEN';
    const s = open();
    await settle();
    expect(s.live).toBe(false);
    expect(s.status).toBe('forbidden');
  });
});

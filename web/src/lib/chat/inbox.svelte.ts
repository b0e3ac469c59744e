import { chatRoutes, messageSchema, type ChannelView } from '@agora/proto';
import type { ApiClient } from '../api/client.js';
import type { ChannelSocket } from './channel-store.svelte.js';
import { RoomFollows } from './room-follows.js';

/** Channels followed live for their unread counts (each is a room join: the member's budget). */
export const liveInboxChannels = 20;
/** The rest, and channels opened by others, are refreshed this often while the tab is visible. */
const refreshEveryMs = 60_000;

/**
 * My channels with their unread counts, for the chat page's list and the nav badge: listed by
 * chat, kept live for the most recent ones (a message from someone else adds one; my own read
 * position, heard from any of my tabs, asks chat for the exact count again).
 */
export class ChatInbox {
  channels = $state.raw<ChannelView[]>([]);
  loaded = $state(false);

  readonly #api: () => ApiClient;
  readonly #follows: RoomFollows;
  readonly #memberId: () => string | undefined;
  #users = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #refreshSoon: ReturnType<typeof setTimeout> | undefined;

  constructor(api: () => ApiClient, socket: ChannelSocket, memberId: () => string | undefined) {
    this.#api = api;
    this.#follows = new RoomFollows(socket, (id) => ({
      event: (name, payload) => this.#heard(id, name, payload),
      // After a reconnection the counts may be stale: one list request for all of them.
      joined: () => this.#scheduleRefresh(),
    }));
    this.#memberId = memberId;
  }

  /** Unread messages over every channel (the nav badge). */
  get totalUnread(): number {
    return this.channels.reduce((sum, c) => sum + c.unread, 0);
  }

  /** Starts for one user of the inbox (the nav, the chat page); the returned function stops it. */
  use(): () => void {
    this.#users += 1;
    if (this.#users === 1) {
      void this.refresh();
      this.#timer = setInterval(() => {
        if (document.visibilityState === 'visible') void this.refresh();
      }, refreshEveryMs);
    }
    return () => {
      this.#users -= 1;
      if (this.#users > 0) return;
      clearInterval(this.#timer);
      clearTimeout(this.#refreshSoon);
      this.#follows.clear();
    };
  }

  async refresh(): Promise<void> {
    try {
      const { channels } = await this.#api().request(chatRoutes.channelList, {});
      this.channels = channels;
      this.loaded = true;
      this.#follow();
    } catch {
      // Kept as it was; the next refresh tries again.
    }
  }

  /** A channel I opened or created: put it in the list at once. */
  upsert(channel: ChannelView): void {
    const others = this.channels.filter((c) => c.id !== channel.id);
    this.channels = [channel, ...others];
    this.#follow();
  }

  #follow(): void {
    if (this.#users === 0) return;
    this.#follows.set(this.channels.slice(0, liveInboxChannels).map((c) => c.id));
  }

  #scheduleRefresh(): void {
    clearTimeout(this.#refreshSoon);
    this.#refreshSoon = setTimeout(() => void this.refresh(), 300);
  }

  #heard(channelId: string, name: string, payload: unknown): void {
    if (name === 'message.created') {
      const parsed = messageSchema.safeParse((payload as { message?: unknown } | null)?.message);
      if (!parsed.success) return;
      const message = parsed.data;
      this.channels = this.#moveToTop(channelId, (c) => ({
        ...c,
        lastSeq: Math.max(c.lastSeq, message.seq),
        lastMessageAt: message.createdAt,
        unread:
          message.authorId !== this.#memberId() && message.seq > c.readSeq
            ? c.unread + 1
            : c.unread,
      }));
    } else if (name === 'read.changed') {
      const read = payload as { memberId?: unknown; readSeq?: unknown };
      if (read.memberId === this.#memberId() && typeof read.readSeq === 'number') {
        void this.#reload(channelId);
      }
    } else if (name === 'channel.member.removed' || name === 'channel.left') {
      this.#scheduleRefresh();
    }
  }

  async #reload(channelId: string): Promise<void> {
    try {
      const fresh = await this.#api().request(chatRoutes.channelGet, { params: { id: channelId } });
      this.channels = this.channels.map((c) => (c.id === channelId ? fresh : c));
    } catch {
      this.#scheduleRefresh();
    }
  }

  #moveToTop(channelId: string, change: (c: ChannelView) => ChannelView): ChannelView[] {
    const current = this.channels.find((c) => c.id === channelId);
    if (!current) return this.channels;
    return [change(current), ...this.channels.filter((c) => c.id !== channelId)];
  }
}

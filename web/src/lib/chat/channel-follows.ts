/** What a follower of a channel hears from the socket. */
export interface ChannelListener {
  /** Every server event whose payload names the channel, with that payload. */
  event(name: string, payload: unknown): void;
  /**
   * The socket is in the channel's room (after the first join and after every reconnection):
   * from now on nothing is missed live, so this is the moment to catch up on what came before.
   */
  joined(): void;
  /** The connection dropped: nothing arrives live until the next `joined`. */
  left?(): void;
  /** The join was refused (`FORBIDDEN`, `UNAVAILABLE`, …) or the member was taken out of the room. */
  refused?(code: string): void;
}

/**
 * Which channels a tab follows and who listens to each: plain bookkeeping like `SpaceFollows`
 * (not reactive, so a page subscribing from an effect does not re-run it).
 */
export class ChannelFollows {
  #listeners = new Map<string, Set<ChannelListener>>();
  /** Channels whose room the socket is in now (joined since the last connection). */
  #joined = new Set<string>();

  /** Adds a listener; true when it is the channel's first (the caller joins its room). */
  add(channelId: string, listener: ChannelListener): boolean {
    const existing = this.#listeners.get(channelId);
    if (existing) {
      existing.add(listener);
      return false;
    }
    this.#listeners.set(channelId, new Set([listener]));
    return true;
  }

  /** Removes a listener; true when it was the channel's last (the caller leaves its room). */
  remove(channelId: string, listener: ChannelListener): boolean {
    const existing = this.#listeners.get(channelId);
    if (!existing?.delete(listener) || existing.size > 0) return false;
    this.#listeners.delete(channelId);
    this.#joined.delete(channelId);
    return true;
  }

  has(channelId: string): boolean {
    return this.#listeners.has(channelId);
  }

  channels(): string[] {
    return [...this.#listeners.keys()];
  }

  isJoined(channelId: string): boolean {
    return this.#joined.has(channelId);
  }

  /** The connection dropped: no room is held any more. */
  disconnected(): void {
    const wasJoined = [...this.#joined];
    this.#joined.clear();
    for (const channelId of wasJoined) {
      for (const listener of [...(this.#listeners.get(channelId) ?? [])]) listener.left?.();
    }
  }

  joined(channelId: string): void {
    if (!this.#listeners.has(channelId)) return;
    this.#joined.add(channelId);
    for (const listener of [...(this.#listeners.get(channelId) ?? [])]) listener.joined();
  }

  refused(channelId: string, code: string): void {
    this.#joined.delete(channelId);
    for (const listener of [...(this.#listeners.get(channelId) ?? [])]) listener.refused?.(code);
  }

  notify(channelId: string, name: string, payload: unknown): void {
    for (const listener of [...(this.#listeners.get(channelId) ?? [])])
      listener.event(name, payload);
  }
}

import type { ChannelListener } from './channel-follows.js';
import type { ChannelSocket } from './channel-store.svelte.js';

/**
 * Keeps exactly a wanted set of channel rooms followed for one owner (plain bookkeeping, not
 * state: changing it must not re-run the effect that owns it).
 */
export class RoomFollows {
  #stops = new Map<string, () => void>();
  readonly #socket: ChannelSocket;
  readonly #listener: (channelId: string) => ChannelListener;

  constructor(socket: ChannelSocket, listener: (channelId: string) => ChannelListener) {
    this.#socket = socket;
    this.#listener = listener;
  }

  /** Follows the wanted channels not yet followed and stops the others. */
  set(wanted: readonly string[]): void {
    const keep = new Set(wanted);
    for (const [id, stop] of this.#stops) {
      if (keep.has(id)) continue;
      stop();
      this.#stops.delete(id);
    }
    for (const id of keep) {
      if (!this.#stops.has(id))
        this.#stops.set(id, this.#socket.followChannel(id, this.#listener(id)));
    }
  }

  clear(): void {
    this.set([]);
  }
}

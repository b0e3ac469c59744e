import { notificationRoutes } from '@agora/proto';
import type { ApiClient } from '$lib/api/client.js';
import type { LiveConnection } from '$lib/live.svelte.js';

/**
 * The bell's unread count: read once when shown, then kept by the socket (`notification.created`
 * carries the new count, `notification.read` the count after a mark-read in any tab). Read again
 * on every reconnection, since what was said while offline is not replayed.
 */
export class BellState {
  unread = $state(0);
  readonly #api: () => ApiClient;
  readonly #live: LiveConnection;

  constructor(api: () => ApiClient, live: LiveConnection) {
    this.#api = api;
    this.#live = live;
  }

  async refresh(): Promise<void> {
    try {
      const page = await this.#api().request(notificationRoutes.notificationList, {
        query: { limit: 1 },
      });
      this.unread = page.unread;
    } catch {
      // The count stays as it was; the next event or reconnection corrects it.
    }
  }

  /** Starts following; the returned function stops. */
  use(): () => void {
    void this.refresh();
    const offCreated = this.#live.onEvent('notification.created', (n) => (this.unread = n.unread));
    const offRead = this.#live.onEvent('notification.read', (r) => (this.unread = r.unread));
    const offReady = this.#live.onEvent('ready', () => void this.refresh());
    return () => {
      offCreated();
      offRead();
      offReady();
    };
  }
}

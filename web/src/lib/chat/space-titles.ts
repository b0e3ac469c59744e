import { SvelteMap } from 'svelte/reactivity';
import { communityRoutes, type SpaceSummary } from '@agora/proto';
import type { ApiClient } from '../api/client.js';

/**
 * The space behind each space channel (its id is the space's), asked once per tab: the chat list
 * names a channel by its space's title and kind. `null`: spaces does not show it to me.
 */
export class SpaceTitles {
  #known = new SvelteMap<string, SpaceSummary | null>();
  #asking = new Set<string>();
  readonly #api: () => ApiClient;

  constructor(api: () => ApiClient) {
    this.#api = api;
  }

  get(spaceId: string): SpaceSummary | null | undefined {
    const known = this.#known.get(spaceId);
    if (known === undefined && !this.#asking.has(spaceId)) {
      this.#asking.add(spaceId);
      void this.#api()
        .request(communityRoutes.spaceGet, { params: { id: spaceId } })
        .then(
          (space) => this.#known.set(spaceId, space),
          () => this.#known.set(spaceId, null),
        )
        .finally(() => this.#asking.delete(spaceId));
    }
    return known;
  }
}

import { SvelteMap } from 'svelte/reactivity';
import { identityRoutes, type PublicMember } from '@agora/proto';
import type { ApiClient } from '../api/client.js';

/**
 * Members' public profiles by id, asked once per tab and shared by every chat view (a channel
 * names the same few people hundreds of times). `null`: the member is gone (erased) or unknown.
 */
export class PeopleDirectory {
  #known = new SvelteMap<string, PublicMember | null>();
  /** Asked and not answered yet (so a name shown fifty times is asked once). */
  #asking = new Set<string>();
  readonly #api: () => ApiClient;

  constructor(api: () => ApiClient) {
    this.#api = api;
  }

  /** The member if known; asks for them otherwise (the view updates when they arrive). */
  get(memberId: string): PublicMember | null | undefined {
    const known = this.#known.get(memberId);
    if (known === undefined) this.#ask(memberId);
    return known;
  }

  /** A name to show: the display name, else a neutral fallback the caller gives. */
  name(memberId: string | null, fallback: string): string {
    if (!memberId) return fallback;
    return this.get(memberId)?.displayName ?? fallback;
  }

  #ask(memberId: string): void {
    if (this.#asking.has(memberId)) return;
    this.#asking.add(memberId);
    void this.#api()
      .request(identityRoutes.memberGet, { params: { id: memberId } })
      .then(
        (member) => this.#known.set(memberId, member),
        () => this.#known.set(memberId, null),
      )
      .finally(() => this.#asking.delete(memberId));
  }
}

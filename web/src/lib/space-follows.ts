/**
 * Which spaces a tab follows live, and who listens to each: plain bookkeeping, deliberately not
 * reactive (a page subscribes from an effect; a reactive map would re-run that effect on its own
 * subscription and join, leave and join again without end).
 */
export class SpaceFollows {
  #listeners = new Map<string, Set<(event: string) => void>>();

  /** Adds a listener; true when this is the space's first (the caller joins its room). */
  add(spaceId: string, listener: (event: string) => void): boolean {
    const existing = this.#listeners.get(spaceId);
    if (existing) {
      existing.add(listener);
      return false;
    }
    this.#listeners.set(spaceId, new Set([listener]));
    return true;
  }

  /** Removes a listener; true when it was the space's last (the caller leaves its room). */
  remove(spaceId: string, listener: (event: string) => void): boolean {
    const existing = this.#listeners.get(spaceId);
    if (!existing?.delete(listener) || existing.size > 0) return false;
    this.#listeners.delete(spaceId);
    return true;
  }

  spaces(): string[] {
    return [...this.#listeners.keys()];
  }

  /** Tells the space's listeners the name of an event about it. */
  notify(spaceId: string, event: string): void {
    for (const listener of this.#listeners.get(spaceId) ?? []) listener(event);
  }
}

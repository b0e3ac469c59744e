/**
 * Who listens to which server event with its payload: plain bookkeeping, deliberately not reactive
 * (pages subscribe from effects; a reactive set would re-run the effect on its own subscription).
 */
export class EventListeners {
  #byEvent = new Map<string, Set<(payload: unknown) => void>>();

  /** Adds a listener; the returned function removes it. */
  add(event: string, listener: (payload: unknown) => void): () => void {
    const set = this.#byEvent.get(event) ?? new Set();
    set.add(listener);
    this.#byEvent.set(event, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#byEvent.get(event) === set) this.#byEvent.delete(event);
    };
  }

  emit(event: string, payload: unknown): void {
    for (const listener of [...(this.#byEvent.get(event) ?? [])]) listener(payload);
  }
}

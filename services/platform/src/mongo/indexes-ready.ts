/**
 * Builds a model's indexes in the background (the store may not be reachable yet at start) and
 * returns a promise that writes relying on a unique index await before their first use.
 */
export function indexesReady(model: { init(): Promise<unknown> }): Promise<void> {
  const ready = model.init().then(() => undefined);
  // Marks the promise handled; writes awaiting it still see the failure.
  ready.catch(() => undefined);
  return ready;
}

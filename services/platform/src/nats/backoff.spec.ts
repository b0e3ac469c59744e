import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep, unlessAborted } from './backoff.js';

describe('unlessAborted', () => {
  it('resolves with the work and leaves no abort listener behind, round after round', async () => {
    const abort = new AbortController();
    // A retry loop on one long-lived signal (ConsumerRunner's): eleven rounds used to warn
    // MaxListenersExceededWarning, each round leaving its listener on the signal.
    for (let round = 0; round < 20; round += 1)
      expect(await unlessAborted(Promise.resolve(round), abort.signal)).toBe(round);
    await expect(unlessAborted(Promise.reject(new Error('down')), abort.signal)).rejects.toThrow(
      'down',
    );
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });

  it('resolves undefined when the signal aborts first, or was already aborted', async () => {
    const abort = new AbortController();
    const never = new Promise<number>(() => undefined);
    const waiting = unlessAborted(never, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBeUndefined();
    await expect(unlessAborted(Promise.resolve(1), abort.signal)).resolves.toBeUndefined();
  });
});

describe('sleep', () => {
  it('removes its abort listener when it wakes on time', async () => {
    const abort = new AbortController();
    expect(await sleep(1, abort.signal)).toBe(true);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });
});

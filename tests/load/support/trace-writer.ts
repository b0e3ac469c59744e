import type { YClient } from './y-client.js';
import { drain } from './y-client.js';

/** Unwritten bytes on the writer's socket before it waits (the server reads at its own pace). */
const WRITER_BUFFER = 1 << 20;

/**
 * Sends every update as its own message, as fast as the socket takes them or, with `perSecond`, at
 * that pace; `onSend(i)` runs just before update i goes out (for its send time).
 */
export async function writeTrace(
  writer: YClient,
  updates: readonly Uint8Array[],
  onSend?: (i: number) => void,
  perSecond = 0,
  /** Before update i: a promise to wait on (flow control), or null to go on at once. */
  gate?: (i: number) => Promise<void> | null,
): Promise<void> {
  const t0 = performance.now();
  for (let i = 0; i < updates.length; i++) {
    const wait = gate?.(i);
    if (wait) await wait;
    if (perSecond > 0) {
      // Ahead of the pace by more than 2 ms: wait (timers are not finer than a millisecond).
      const due = t0 + (i * 1000) / perSecond;
      const ahead = due - performance.now();
      if (ahead > 2) await new Promise((r) => setTimeout(r, ahead));
    }
    onSend?.(i);
    writer.sendUpdate(updates[i]!);
    if (writer.buffered > WRITER_BUFFER) await drain(writer, WRITER_BUFFER / 2);
  }
}

import type { YClient } from './y-client.js';
import { drain } from './y-client.js';

/** Unwritten bytes on the writer's socket before it waits (the server reads at its own pace). */
const WRITER_BUFFER = 1 << 20;

/**
 * Sends every update as its own message, as fast as the socket takes them; `onSend(i)` runs just
 * before update i goes out (for its send time).
 */
export async function writeTrace(
  writer: YClient,
  updates: readonly Uint8Array[],
  onSend?: (i: number) => void,
): Promise<void> {
  for (let i = 0; i < updates.length; i++) {
    onSend?.(i);
    writer.sendUpdate(updates[i]!);
    if (writer.buffered > WRITER_BUFFER) await drain(writer, WRITER_BUFFER / 2);
  }
}

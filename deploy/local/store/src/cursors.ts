import { randomBytes } from 'node:crypto';
import { Long } from 'bson';
import { cursorNotFound } from './errors.js';
import type { Doc } from './paths.js';

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export const DEFAULT_BATCH = 101;
/** Cursors idle this long are reaped, as mongod does after 10 minutes. */
const IDLE_MS = 10 * 60_000;

/** Server-side cursors: the rest of a result, handed out in batches by getMore. */
export class Cursors {
  private readonly open = new Map<string, OpenCursor>();

  /** Returns the first batch and the cursor id (0 when the result is exhausted). */
  start(
    ns: string,
    docs: Doc[],
    batchSize: number | undefined,
    single: boolean,
  ): { id: Long; batch: Doc[] } {
    const size = batchSize === undefined ? DEFAULT_BATCH : batchSize;
    const batch = size === 0 ? [] : docs.slice(0, size);
    if (single || (batch.length >= docs.length && size !== 0)) return { id: Long.ZERO, batch };
    let id: Long;
    do id = Long.fromBytesLE([...randomBytes(8)]).and(Long.MAX_VALUE);
    while (id.isZero() || this.open.has(id.toString()));
    this.open.set(id.toString(), { ns, docs, pos: batch.length, lastUsed: Date.now() });
    return { id, batch };
  }

  next(id: Long, ns: string, batchSize: number | undefined): { id: Long; batch: Doc[] } {
    const key = id.toString();
    const cursor = this.open.get(key);
    if (!cursor || cursor.ns !== ns) throw cursorNotFound(key);
    const end = batchSize ? cursor.pos + batchSize : cursor.docs.length;
    const batch = cursor.docs.slice(cursor.pos, end);
    cursor.pos += batch.length;
    cursor.lastUsed = Date.now();
    if (cursor.pos >= cursor.docs.length) {
      this.open.delete(key);
      return { id: Long.ZERO, batch };
    }
    return { id, batch };
  }

  kill(id: Long): boolean {
    return this.open.delete(id.toString());
  }

  reapIdle(now = Date.now()): void {
    for (const [k, c] of this.open) if (now - c.lastUsed > IDLE_MS) this.open.delete(k);
  }
}

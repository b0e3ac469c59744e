import { randomBytes } from 'node:crypto';
import { BSON, Long } from 'bson';
import { cursorNotFound } from './errors.js';
import type { Doc } from './paths.js';
import { storedBson } from './stored-bson.js';

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export const DEFAULT_BATCH = 101;
/** A batch stops once it holds this many bytes (always at least one document), as mongod's 16 MiB. */
const BATCH_BYTES = 16 * 1024 * 1024;

/** `docs[from, from+count)` cut short where the batch would pass BATCH_BYTES. */
function takeBatch(docs: Doc[], from: number, count: number): Doc[] {
  const end = Math.min(docs.length, from + count);
  let bytes = 0;
  for (let i = from; i < end; i++) {
    bytes += storedBson(docs[i]!)?.length ?? BSON.calculateObjectSize(docs[i]!);
    if (bytes > BATCH_BYTES && i > from) return docs.slice(from, i);
  }
  return docs.slice(from, end);
}
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
    const batch = size === 0 ? [] : takeBatch(docs, 0, size);
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
    const batch = takeBatch(cursor.docs, cursor.pos, batchSize || cursor.docs.length);
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

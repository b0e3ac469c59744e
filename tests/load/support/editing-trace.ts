// The automerge-paper editing trace (259,778 single-character edits), turned once into one Yjs
// update per edit by a local writer doc, so replaying it costs the load generator only sends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';

/**
 * Outside the repository (never copied in): `../shared/data/` from the repo root, or
 * `COLLAB_TRACE_FILE` (a git worktree elsewhere has no `../shared`).
 */
export const TRACE_FILE =
  process.env.COLLAB_TRACE_FILE ??
  join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'automerge-paper.json.gz');

/** The shared text type every server's doc gets the trace in. */
export const TRACE_TEXT = 'trace';
/** The writer's Yjs client id, the same for every server (the updates are byte-identical). */
export const TRACE_WRITER_ID = 4_242_424;

export interface EditingTrace {
  updates: Uint8Array[];
  endContent: string;
  /** The writer's clock after the last edit: a reader with this state has everything. */
  finalClock: number;
  /** The writer's clock after each update (deletes leave it where it was). */
  clockAfter: Uint32Array;
  totalBytes: number;
}

interface TraceFile {
  endContent: string;
  txns: { patches: [number, number, string][] }[];
}

let cached: EditingTrace | null = null;

export function loadEditingTrace(): EditingTrace {
  if (cached) return cached;
  const raw = JSON.parse(gunzipSync(readFileSync(TRACE_FILE)).toString('utf8')) as TraceFile;
  const doc = new Y.Doc();
  doc.clientID = TRACE_WRITER_ID;
  const text = doc.getText(TRACE_TEXT);
  const updates: Uint8Array[] = [];
  const clocks: number[] = [];
  doc.on('update', (u: Uint8Array) => {
    updates.push(u);
    clocks.push(Y.getState(doc.store, TRACE_WRITER_ID));
  });
  for (const txn of raw.txns)
    for (const [pos, del, ins] of txn.patches) {
      // Each patch its own transaction: one update per edit, as a keystroke sends it.
      doc.transact(() => {
        if (del > 0) text.delete(pos, del);
        if (ins) text.insert(pos, ins);
      });
    }
  if (text.toJSON() !== raw.endContent) throw new Error('the trace did not replay to its end');
  cached = {
    updates,
    endContent: raw.endContent,
    finalClock: Y.getState(doc.store, TRACE_WRITER_ID),
    clockAfter: Uint32Array.from(clocks),
    totalBytes: updates.reduce((n, u) => n + u.length, 0),
  };
  doc.destroy();
  return cached;
}

import * as Y from 'yjs';
import { docShape } from '@agora/proto';

/** A block of the version is larger than one update-log entry may be. */
export class RestoreTooLarge extends Error {
  constructor(readonly bytes: number) {
    super(`a block of the version needs an update of ${bytes} bytes`);
    this.name = 'RestoreTooLarge';
  }
}

/**
 * The updates that turn `current` into the content of `version` (its body and budget) as new
 * changes on top of `current`'s history: the version's blocks are appended after the current ones,
 * then the current ones deleted, and the budget replaced. Nothing of either history is rewritten.
 * The changes are split into updates of at most `maxBytes` each, applied in order; a crash between
 * two leaves the old content in place (with part of the new after it), never less. Empty when the
 * doc already holds the version's content.
 */
export function restoreUpdates(current: Y.Doc, version: Y.Doc, maxBytes: number): Uint8Array[] {
  const body = version.getXmlFragment(docShape.body);
  const budget = version.getArray<unknown>(docShape.budget);
  if (
    current.getXmlFragment(docShape.body).toJSON() === body.toJSON() &&
    JSON.stringify(current.getArray(docShape.budget).toJSON()) === JSON.stringify(budget.toJSON())
  ) {
    return [];
  }

  // Work on a copy: `current` may be the caller's (and is never changed).
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(current));
  const pieces: Uint8Array[] = [];
  copy.on('update', (update: Uint8Array) => pieces.push(update));

  const target = copy.getXmlFragment(docShape.body);
  const old = target.length;
  // One transaction per block: each is one piece the batches below are cut from.
  for (const block of body.toArray()) {
    // (Tiptap writes no hooks; a foreign one is not body content.)
    if (block instanceof Y.XmlHook) continue;
    copy.transact(() => target.insert(target.length, [block.clone()]));
  }
  copy.transact(() => {
    if (old > 0) target.delete(0, old);
    const lines = copy.getArray<unknown>(docShape.budget);
    if (lines.length > 0) lines.delete(0, lines.length);
    lines.insert(
      0,
      budget.toArray().map((line) => (line instanceof Y.AbstractType ? line.clone() : line)),
    );
  });
  copy.destroy();

  const out: Uint8Array[] = [];
  let batch: Uint8Array[] = [];
  let bytes = 0;
  for (const piece of pieces) {
    if (piece.byteLength > maxBytes) throw new RestoreTooLarge(piece.byteLength);
    if (bytes + piece.byteLength > maxBytes && batch.length > 0) {
      out.push(Y.mergeUpdates(batch));
      batch = [];
      bytes = 0;
    }
    batch.push(piece);
    bytes += piece.byteLength;
  }
  if (batch.length > 0) out.push(Y.mergeUpdates(batch));
  return out;
}

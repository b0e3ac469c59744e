import * as Y from 'yjs';
import { docShape } from '@agora/proto';

/** The root maps a `comment` connection may change (proto `doc-shape.ts`). */
export const commentRoots: ReadonlySet<string> = new Set([docShape.comments, docShape.suggestions]);

/** Longer chains of references inside one update are refused rather than walked. */
const MAX_DEPTH = 10_000;

/**
 * Whether applying `update` to `doc` would change nothing outside the root types named in `roots`:
 * every item it inserts lies under one of them (its parent named, or found through its parent's or
 * origins' ids in the update itself or in the doc's store), and every item it deletes that is not
 * deleted yet does too. Anything that cannot be resolved (unknown ids, a gap in a client's clocks,
 * garbage) answers false.
 * Call it inside the transaction that applies the update, so the store holds the batch so far.
 */
export function staysWithin(doc: Y.Doc, update: Uint8Array, roots: ReadonlySet<string>): boolean {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return false;
  }
  const store = doc.store;
  // The update's own structs by client, sorted by clock (as encoded), for ids pointing into it.
  const own = new Map<number, (Y.Item | Y.GC)[]>();
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue;
    let list = own.get(s.id.client);
    if (!list) own.set(s.id.client, (list = []));
    list.push(s);
  }
  const memo = new Map<Y.Item, string | null>();

  const rootOfType = (parent: unknown): string | null => {
    let t = parent;
    for (let depth = 0; t instanceof Y.AbstractType && t._item; depth += 1) {
      if (depth > MAX_DEPTH) return null;
      t = t._item.parent;
    }
    if (!(t instanceof Y.AbstractType)) return null;
    for (const [key, value] of doc.share) if (value === t) return key;
    return null;
  };

  const ownAt = (id: Y.ID): Y.Item | Y.GC | null => {
    const list = own.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return null;
  };

  const rootOfId = (id: Y.ID, depth: number): string | null => {
    if (id.clock < Y.getState(store, id.client)) {
      let struct: Y.Item | Y.GC;
      try {
        struct = Y.getItem(store, id);
      } catch {
        return null;
      }
      return struct instanceof Y.Item ? rootOfType(struct.parent) : null;
    }
    const s = ownAt(id);
    return s instanceof Y.Item ? rootOfNew(s, depth + 1) : null;
  };

  const rootOfNew = (item: Y.Item, depth: number): string | null => {
    const known = memo.get(item);
    if (known !== undefined || memo.has(item)) return known ?? null;
    if (depth > MAX_DEPTH) return null;
    // A cycle of references resolves to nothing.
    memo.set(item, null);
    const candidates: (string | null)[] = [];
    const parent: unknown = item.parent;
    if (typeof parent === 'string') candidates.push(parent);
    else if (parent instanceof Y.ID) candidates.push(rootOfId(parent, depth));
    else if (parent !== null) candidates.push(null);
    // Yjs takes the parent from the origins when none is written: each must agree.
    if (item.origin) candidates.push(rootOfId(item.origin, depth));
    if (item.rightOrigin) candidates.push(rootOfId(item.rightOrigin, depth));
    const root =
      candidates.length > 0 && candidates.every((c) => c === candidates[0]) ? candidates[0]! : null;
    memo.set(item, root);
    return root;
  };

  // Structs after a gap would wait in the store, unjudged: a dropped update's successors are.
  if (decoded.structs.some((s) => s instanceof Y.Skip)) return false;
  for (const [client, list] of own) if (list[0]!.id.clock > Y.getState(store, client)) return false;

  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue;
    // Already in the doc: Yjs skips it.
    if (s.id.clock + s.length <= Y.getState(store, s.id.client)) continue;
    const root = rootOfNew(s, 0);
    if (root === null || !roots.has(root)) return false;
  }

  for (const [client, ranges] of decoded.ds.clients) {
    const state = Y.getState(store, client);
    const structs = store.clients.get(client);
    for (const { clock, len } of ranges) {
      const end = clock + len;
      const storedEnd = Math.min(end, state);
      if (structs && clock < storedEnd) {
        for (let i = Y.findIndexSS(structs, clock); i < structs.length; i += 1) {
          const s = structs[i]!;
          if (s.id.clock >= storedEnd) break;
          if (!(s instanceof Y.Item) || s.deleted) continue;
          const root = rootOfType(s.parent);
          if (root === null || !roots.has(root)) return false;
        }
      }
      // Past the store: only the update's own structs (all checked above) may be deleted.
      for (let at = Math.max(clock, state); at < end;) {
        const s = ownAt(Y.createID(client, at));
        if (!s) return false;
        at = s.id.clock + s.length;
      }
    }
  }
  return true;
}

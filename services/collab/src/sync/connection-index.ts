import { parseDocName } from '@agora/proto';

/** What the index needs of a connection. */
export interface Indexed {
  readonly memberId: string;
  readonly docName: string;
}

/**
 * Open connections by member, by doc and by space (a doc's id is its space's id). A key with one
 * connection holds it directly, not in a Set: most members have one connection, and an idle
 * connection should cost little.
 */
export class ConnectionIndex<C extends Indexed> {
  private readonly byMember = new Map<string, C | Set<C>>();
  private readonly byDoc = new Map<string, C | Set<C>>();
  private readonly bySpace = new Map<string, C | Set<C>>();
  private readonly all = new Set<C>();

  add(c: C): void {
    this.all.add(c);
    put(this.byMember, c.memberId, c);
    put(this.byDoc, c.docName, c);
    put(this.bySpace, parseDocName(c.docName).id, c);
  }

  remove(c: C): void {
    if (!this.all.delete(c)) return;
    drop(this.byMember, c.memberId, c);
    drop(this.byDoc, c.docName, c);
    drop(this.bySpace, parseDocName(c.docName).id, c);
  }

  ofMember(memberId: string): C[] {
    return listOf(this.byMember.get(memberId));
  }

  ofSpace(spaceId: string): C[] {
    return listOf(this.bySpace.get(spaceId));
  }

  countOfMember(memberId: string): number {
    return countOf(this.byMember.get(memberId));
  }

  countOfDoc(docName: string): number {
    return countOf(this.byDoc.get(docName));
  }

  list(): C[] {
    return [...this.all];
  }

  get size(): number {
    return this.all.size;
  }
}

function put<C>(map: Map<string, C | Set<C>>, key: string, c: C): void {
  const held = map.get(key);
  if (held === undefined) map.set(key, c);
  else if (held instanceof Set) held.add(c);
  else if (held !== c) map.set(key, new Set([held, c]));
}

function drop<C>(map: Map<string, C | Set<C>>, key: string, c: C): void {
  const held = map.get(key);
  if (held === undefined) return;
  if (!(held instanceof Set)) {
    if (held === c) map.delete(key);
    return;
  }
  held.delete(c);
  if (held.size === 1) map.set(key, held.values().next().value as C);
  else if (held.size === 0) map.delete(key);
}

function listOf<C>(held: C | Set<C> | undefined): C[] {
  if (held === undefined) return [];
  return held instanceof Set ? [...held] : [held];
}

function countOf<C>(held: C | Set<C> | undefined): number {
  if (held === undefined) return 0;
  return held instanceof Set ? held.size : 1;
}

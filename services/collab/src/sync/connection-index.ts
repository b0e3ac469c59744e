import { parseDocName } from '@agora/proto';

/** What the index needs of a connection. */
export interface Indexed {
  readonly memberId: string;
  readonly docName: string;
}

/** Open connections by member, by doc and by space (a doc's id is its space's id). */
export class ConnectionIndex<C extends Indexed> {
  private readonly byMember = new Map<string, Set<C>>();
  private readonly byDoc = new Map<string, Set<C>>();
  private readonly bySpace = new Map<string, Set<C>>();
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
    return [...(this.byMember.get(memberId) ?? [])];
  }

  ofSpace(spaceId: string): C[] {
    return [...(this.bySpace.get(spaceId) ?? [])];
  }

  countOfMember(memberId: string): number {
    return this.byMember.get(memberId)?.size ?? 0;
  }

  countOfDoc(docName: string): number {
    return this.byDoc.get(docName)?.size ?? 0;
  }

  list(): C[] {
    return [...this.all];
  }

  get size(): number {
    return this.all.size;
  }
}

function put<C>(map: Map<string, Set<C>>, key: string, c: C): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(c);
}

function drop<C>(map: Map<string, Set<C>>, key: string, c: C): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(c);
  if (set.size === 0) map.delete(key);
}

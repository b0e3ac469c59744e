import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { guardAwarenessUpdate, MAX_CLIENT_IDS_PER_PEER } from './awareness-guard.js';

/** An encoded awareness update in which `clientId` says `state` at `clock`. */
function claim(clientId: number, state: unknown, clock = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const a = new awarenessProtocol.Awareness(doc);
  a.setLocalState(state as Record<string, unknown> | null);
  const meta = a.meta.get(clientId);
  if (meta) meta.clock = clock;
  const update = awarenessProtocol.encodeAwarenessUpdate(a, [clientId]);
  a.destroy();
  return update;
}

/** What a server awareness holds after applying `update`. */
function applied(update: Uint8Array | null): Map<number, Record<string, unknown>> {
  const server = new awarenessProtocol.Awareness(new Y.Doc());
  server.setLocalState(null);
  if (update) awarenessProtocol.applyAwarenessUpdate(server, update, 'test');
  return server.getStates();
}

describe('guardAwarenessUpdate', () => {
  it("stamps a new client id's state with the member who sent it, over what the client wrote", () => {
    const out = guardAwarenessUpdate(
      claim(7, { user: { name: 'Alice' }, memberId: 'someone-else' }),
      'alice',
      new Map(),
      new Set(),
    );
    expect(applied(out).get(7)).toEqual({ user: { name: 'Alice' }, memberId: 'alice' });
  });

  it("drops an update or removal of another member's client id", () => {
    const known = new Map([[7, { user: { name: 'Alice' }, memberId: 'alice' }]]);
    expect(
      guardAwarenessUpdate(claim(7, { user: { name: 'Mallory' } }, 5), 'bob', known, new Set()),
    ).toBeNull();
    expect(guardAwarenessUpdate(claim(7, null, 5), 'bob', known, new Set())).toBeNull();
  });

  it('lets the same member take their client id back (a reconnect, on any replica)', () => {
    const known = new Map([[7, { user: { name: 'Alice' }, memberId: 'alice' }]]);
    const out = guardAwarenessUpdate(
      claim(7, { user: { name: 'Alice B' } }, 2),
      'alice',
      known,
      new Set(),
    );
    expect(applied(out).get(7)).toEqual({ user: { name: 'Alice B' }, memberId: 'alice' });
  });

  it('keeps the entries a peer may write out of a mixed update', () => {
    const doc = new Y.Doc();
    const a = new awarenessProtocol.Awareness(doc);
    a.setLocalState({ user: { name: 'mine' } });
    a.states.set(9, { user: { name: 'forged' } });
    a.meta.set(9, { clock: 3, lastUpdated: Date.now() });
    const update = awarenessProtocol.encodeAwarenessUpdate(a, [doc.clientID, 9]);
    a.destroy();
    const known = new Map([[9, { memberId: 'alice' }]]);
    const states = applied(guardAwarenessUpdate(update, 'bob', known, new Set()));
    expect([...states.keys()]).toEqual([doc.clientID]);
  });

  it(`takes at most ${MAX_CLIENT_IDS_PER_PEER} client ids from one peer`, () => {
    const owned = new Set(Array.from({ length: MAX_CLIENT_IDS_PER_PEER }, (_, i) => i + 1));
    expect(guardAwarenessUpdate(claim(100, { x: 1 }), 'bob', new Map(), owned)).toBeNull();
    expect(guardAwarenessUpdate(claim(1, { x: 1 }, 2), 'bob', new Map(), owned)).not.toBeNull();
  });

  it('drops states that are not objects and throws on an update that cannot be read', () => {
    expect(guardAwarenessUpdate(claim(7, 'a string'), 'bob', new Map(), new Set())).toBeNull();
    expect(() =>
      guardAwarenessUpdate(new Uint8Array([5, 1]), 'bob', new Map(), new Set()),
    ).toThrow();
  });
});

// Collab on the bus as `npm start` configures it (a user per service, permissions derived from
// proto): appends with their expectations, ordered-consumer reads of a doc's tail, the relay
// between replicas and the rights events all work within what collab's user may do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { DocRegistry, DocStore } from '@agora/collab';
import { collabCloseCodes, spacesEvents } from '@agora/proto';
import { startCollabHub, until, type CollabHub, type CollabReplica } from './collab-fixture.js';

const docName = `board:${'c'.repeat(24)}`;
const alice = '1'.repeat(24);
const bob = '2'.repeat(24);

let hub: CollabHub;
let r1: CollabReplica;
let r2: CollabReplica;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  hub = await startCollabHub('collab-perms', {
    replicas: 2,
    securedBus: true,
    env: { COLLAB_IDLE_UNLOAD_MS: '200' },
  });
  [r1, r2] = hub.replicas as [CollabReplica, CollabReplica];
});
afterAll(async () => {
  for (const p of providers) p.destroy();
  await hub?.stop();
});

function client(replica: CollabReplica, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${replica.wsBase}/collab`, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
  });
  providers.push(provider);
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return { doc, provider, synced, text: doc.getText('body') };
}

describe('collab under per-service bus permissions', () => {
  it('edits from two replicas at once converge, reload from the log, and a removal closes 4403', async () => {
    hub.setRight(alice, docName, 'write');
    hub.setRight(bob, docName, 'write');
    const a = client(r1, await hub.tokenFor(alice));
    const b = client(r2, await hub.tokenFor(bob));
    await Promise.all([a.synced, b.synced]);
    // Both replicas append to the same doc at the same time: chained appends refuse one side,
    // which reads the gap (an ordered consumer) and appends again.
    for (let i = 0; i < 100; i += 1) {
      a.text.insert(0, 'a');
      b.text.insert(0, 'b');
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => {
      expect(a.text.toJSON()).toBe(b.text.toJSON());
      expect(a.text.length).toBe(200);
    });
    const fresh = await r2.service!.app.get(DocStore).loadDurable(docName);
    expect(fresh.doc.getText('body').toJSON()).toBe(a.text.toJSON());

    // Unloaded on r1 once its client leaves; loaded again from the log for a new client.
    a.provider.destroy();
    await until(() => expect(r1.service!.app.get(DocRegistry).peek(docName)).toBeNull(), 3_000);
    const again = client(r1, await hub.tokenFor(alice));
    await again.synced;
    await until(() => expect(again.text.toJSON()).toBe(b.text.toJSON()));

    const closed = new Promise<{ code: number }>((resolve) =>
      b.provider.once('closed', (e) => resolve(e)),
    );
    hub.setRight(bob, docName, 'none');
    await hub.publish(spacesEvents.membershipRemoved, { spaceId: 'c'.repeat(24), memberId: bob });
    expect((await closed).code).toBe(collabCloseCodes.forbidden);
  });
});

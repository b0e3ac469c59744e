// A suspended or deleted member's access token stays valid for up to 15 minutes: collab refuses it
// at connect (4401, from identity's events in AGORA_IDENTITY, as the gateway does), closes the
// member's live connections with 4403, and opens docs again once the account is reinstated —
// on a replica started after the events too (its view is rebuilt from the stream). Likewise the
// token of a session that ended (signed out, revoked): its connections close with 4401 within a
// second, the member's other sign-ins stay, and the token is refused at connect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { buildEnvelope } from '@agora/platform';
import {
  accountEvents,
  collabCloseCodes,
  identityEvents,
  streams,
  type EventData,
  type EventDef,
} from '@agora/proto';
import { startCollabHub, until, type CollabHub, type CollabReplica } from './collab-fixture.js';

const docName = `proposal:${'e'.repeat(24)}`;
const alice = '5'.repeat(24);
const bob = '6'.repeat(24);
const carol = '7'.repeat(24);
const laptop = '0b9e4a56-7f3c-4a1e-9d2b-3c4d5e6f7a8b';
const phone = '1c0f5b67-8a4d-4b2f-8e3c-4d5e6f7a8b9c';

let hub: CollabHub;
let r1: CollabReplica;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  hub = await startCollabHub('collab-accounts', { replicas: 0 });
  // Identity's stream, as identity provisions it: collab's account view reads it.
  await hub.bus.jsm.streams.add({
    name: streams.identity.name,
    subjects: [...streams.identity.subjects],
  });
  r1 = await hub.startReplica();
  hub.setRight(alice, docName, 'write');
  hub.setRight(bob, docName, 'write');
  hub.setRight(carol, docName, 'write');
});
afterAll(async () => {
  for (const p of providers) p.destroy();
  await hub?.stop();
});

/** As identity publishes it: into its stream (core subscribers hear it too). */
async function publishIdentity<D extends EventDef>(def: D, data: EventData<D>): Promise<void> {
  const envelope = buildEnvelope(def, { actor: null, subject: 'test', data });
  await hub.bus.js.publish(def.subject, JSON.stringify(envelope));
}

function editor(replica: CollabReplica, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${replica.wsBase}/collab`, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
  });
  providers.push(provider);
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    provider.once('closed', (e) => resolve(e)),
  );
  return { doc, provider, synced, closed };
}

/** A raw connect: how it ends ('open' once it was served its sync step, else the close). */
function attempt(replica: CollabReplica, token: string): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${replica.wsBase}/collab/${docName}?token=${token}`);
    ws.on('message', () => {
      ws.close();
      resolve({ code: 0, reason: 'open' });
    });
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', reject);
  });
}

describe('collab and suspended or deleted accounts', () => {
  it('refuses their still-valid tokens at connect with 4401 and closes their editors with 4403', async () => {
    const a = editor(r1, await hub.tokenFor(alice));
    const b = editor(r1, await hub.tokenFor(bob));
    await Promise.all([a.synced, b.synced]);
    // Signed before the suspension, valid for 15 minutes more.
    const aliceToken = await hub.tokenFor(alice);

    const t0 = Date.now();
    await publishIdentity(accountEvents.memberSuspended, { memberId: alice });
    expect((await a.closed).code).toBe(collabCloseCodes.forbidden);
    expect(Date.now() - t0).toBeLessThan(1_000);
    await until(async () =>
      expect(await attempt(r1, aliceToken)).toEqual({
        code: collabCloseCodes.unauthenticated,
        reason: 'account suspended',
      }),
    );
    // Bob, in the same doc, is untouched and still gets in.
    expect(b.provider.wsconnected).toBe(true);
    expect((await attempt(r1, await hub.tokenFor(bob))).reason).toBe('open');

    // A replica that never heard the event live builds the same view from identity's stream.
    const r2 = await hub.startReplica();
    expect(await attempt(r2, aliceToken)).toEqual({
      code: collabCloseCodes.unauthenticated,
      reason: 'account suspended',
    });

    await publishIdentity(accountEvents.memberReinstated, { memberId: alice });
    await until(async () => expect((await attempt(r1, aliceToken)).reason).toBe('open'));
    expect((await attempt(r2, aliceToken)).reason).toBe('open');

    const bobToken = await hub.tokenFor(bob);
    await publishIdentity(identityEvents.memberDeleted, { memberId: bob });
    expect((await b.closed).code).toBe(collabCloseCodes.forbidden);
    await until(async () =>
      expect(await attempt(r2, bobToken)).toEqual({
        code: collabCloseCodes.unauthenticated,
        reason: 'account deleted',
      }),
    );
    // Deletion is for good: a reinstatement does not bring the account back.
    await publishIdentity(accountEvents.memberReinstated, { memberId: bob });
    await new Promise((r) => setTimeout(r, 200));
    expect((await attempt(r1, bobToken)).code).toBe(collabCloseCodes.unauthenticated);
  });

  it('closes the connections of an ended session with 4401 within 1 s and refuses its token', async () => {
    const laptopToken = await hub.tokenFor(carol, { sessionId: laptop });
    const phoneToken = await hub.tokenFor(carol, { sessionId: phone });
    const r2 = hub.replicas.find((r) => r !== r1) ?? (await hub.startReplica());
    // The laptop's editors on both replicas, the phone's on one.
    const onR1 = editor(r1, laptopToken);
    const onR2 = editor(r2, laptopToken);
    const other = editor(r1, phoneToken);
    await Promise.all([onR1.synced, onR2.synced, other.synced]);
    onR1.doc.getText('t').insert(0, 'kept');
    await until(() => expect(other.doc.getText('t').toJSON()).toBe('kept'));

    // Data breaking the contract (no session id) ends nothing.
    await hub.bus.js.publish(
      accountEvents.sessionsRevoked.subject,
      JSON.stringify(
        buildEnvelope(accountEvents.sessionsRevoked, {
          actor: null,
          subject: 'test',
          data: { memberId: carol, sessionIds: [laptop], cause: 'signed-out' },
        }),
      ).replace(laptop, 'not-a-session'),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect([onR1.provider.wsconnected, onR2.provider.wsconnected]).toEqual([true, true]);

    const t0 = Date.now();
    await publishIdentity(accountEvents.sessionsRevoked, {
      memberId: carol,
      sessionIds: [laptop],
      cause: 'signed-out',
    });
    const [closed1, closed2] = await Promise.all([onR1.closed, onR2.closed]);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(closed1).toEqual({ code: collabCloseCodes.unauthenticated, reason: 'session ended' });
    expect(closed2).toEqual({ code: collabCloseCodes.unauthenticated, reason: 'session ended' });
    // The stock client stops on 4401: it does not come back with the dead token.
    await new Promise((r) => setTimeout(r, 300));
    expect([onR1.provider.wsconnected, onR2.provider.wsconnected]).toEqual([false, false]);
    expect(other.provider.wsconnected).toBe(true);

    for (const replica of [r1, r2])
      expect(await attempt(replica, laptopToken)).toEqual({
        code: collabCloseCodes.unauthenticated,
        reason: 'session ended',
      });
    expect((await attempt(r1, phoneToken)).reason).toBe('open');
    // A token without a session id (an older one) is not touched by a session's end.
    expect((await attempt(r1, await hub.tokenFor(carol))).reason).toBe('open');

    // A replica started after the event rebuilds it from identity's stream.
    const r3 = await hub.startReplica();
    expect(await attempt(r3, laptopToken)).toEqual({
      code: collabCloseCodes.unauthenticated,
      reason: 'session ended',
    });
    expect((await attempt(r3, phoneToken)).reason).toBe('open');
  });
});

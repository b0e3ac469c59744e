// A Market Place board `board:<id>` with the REAL collab, spaces and gateway: experts write cards in
// stock y-websocket clients, spaces judges them from collab's change feed (an expert's card in
// another area is refused, and told to the room as rejected), participants may only comment, and a
// locked board refuses the writes of everyone but the facilitator (message 100, updates dropped).
import type { SessionView } from '@agora/proto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMarketPlaceHub,
  until,
  writeCard,
  type Member,
  type MarketPlaceHub,
} from './market-place-fixture.js';

let hub: MarketPlaceHub;
let facilitator: Member;
let funder: Member;
let techie: Member;
let participant: Member;
let session: SessionView;

interface Judged {
  cardId: string;
  status: 'accepted' | 'rejected';
  rejection: string | null;
  area: string;
}

beforeAll(async () => {
  hub = await startMarketPlaceHub('market-place-board');
  facilitator = await hub.member('facilitator');
  [funder, techie, participant] = await Promise.all([hub.member(), hub.member(), hub.member()]);
  session = await hub.json<SessionView>(
    await hub.api('/sessions', {
      method: 'POST',
      token: facilitator.token,
      json: {
        title: 'Innovation Live — Valencia',
        startsAt: '2027-06-02T17:30:00Z',
        timeZone: 'Europe/Madrid',
        format: 'onsite',
        place: 'Las Naves, Valencia',
      },
    }),
    201,
  );
  for (const [who, area] of [
    [funder, 'funding'],
    [techie, 'technology'],
  ] as const)
    await hub.json(
      await hub.api(`/spaces/${session.id}/members`, {
        method: 'POST',
        token: facilitator.token,
        json: { memberId: who.id, role: 'expert', area },
      }),
      201,
    );
  await hub.json(
    await hub.api(`/sessions/${session.id}/join`, { method: 'POST', token: participant.token }),
    200,
  );
  await hub.json(
    await hub.api(`/sessions/${session.id}/pitches`, {
      method: 'POST',
      token: facilitator.token,
      json: { title: 'Community kitchen', summary: 'Shared meals', leaderId: participant.id },
    }),
    201,
  );
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

const cards = async (who: Member) =>
  (
    await hub.json<{ items: Judged[] }>(
      await hub.api(`/sessions/${session.id}/cards`, { token: who.token }),
      200,
    )
  ).items;

describe('the Market Place board', () => {
  it("accepts an expert's card in their area, refuses one in another area, and tells the room", async () => {
    const room = await hub.roomSocket(participant, session.id);
    const told: { cardId: string; status: string; rejection: string | null }[] = [];
    room.on('session.card', (c) => told.push(c));
    const expert = await hub.board(funder, session.docName);
    const own = writeCard(expert.doc, {
      pitchIndex: 0,
      area: 'funding',
      authorId: funder.id,
      text: 'Apply to the regional ERDF call',
    });
    const foreign = writeCard(expert.doc, {
      pitchIndex: 0,
      area: 'technology',
      authorId: funder.id,
      text: 'Use a no-code booking tool',
    });
    // Written by the funder in the techie's name: never judged, so never accepted.
    const forged = writeCard(expert.doc, {
      pitchIndex: 0,
      area: 'technology',
      authorId: techie.id,
      text: 'Forged in my name',
    });
    const judged = await until(async () => {
      const items = await cards(participant);
      expect(items).toHaveLength(2);
      return items;
    });
    expect(judged.find((c) => c.cardId === own)).toMatchObject({
      status: 'accepted',
      rejection: null,
      area: 'funding',
    });
    expect(judged.find((c) => c.cardId === foreign)).toMatchObject({
      status: 'rejected',
      rejection: 'foreign-area',
    });
    expect(judged.find((c) => c.cardId === forged)).toBeUndefined();
    await until(() =>
      expect(told.map((t) => [t.cardId, t.status, t.rejection]).sort()).toEqual(
        [
          [own, 'accepted', null],
          [foreign, 'rejected', 'foreign-area'],
        ].sort(),
      ),
    );
  });

  it('lets participants comment but not add cards', async () => {
    const watcher = await hub.board(facilitator, session.docName);
    const p = await hub.board(participant, session.docName);
    expect(p.told.commentOnly).toBe(1);
    const target = [...watcher.doc.getMap('cards').keys()][0]!;
    const comment = new Y.Map<unknown>();
    p.doc.getMap('comments').set('e'.repeat(32), comment);
    comment.set('cardId', target);
    comment.set('text', 'Which call exactly?');
    await until(() => expect(watcher.doc.getMap('comments').has('e'.repeat(32))).toBe(true));
    // after it, a card (outside the comments map): dropped, the connection stays open
    const dropped = writeCard(p.doc, {
      pitchIndex: 0,
      area: 'funding',
      authorId: participant.id,
      text: 'not mine to add',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.doc.getMap('cards').has(dropped)).toBe(false);
    expect(p.provider.wsconnected).toBe(true);
  });

  it('when locked, refuses the writes of everyone but the facilitator (100, updates dropped)', async () => {
    const f = await hub.board(facilitator, session.docName);
    const e = await hub.board(techie, session.docName);
    expect(e.told.readOnly).toBe(0);
    await hub.refused(
      await hub.api(`/sessions/${session.id}/board`, {
        method: 'PUT',
        token: funder.token,
        json: { locked: true },
      }),
      403,
      'FORBIDDEN',
    );
    const locked = await hub.json<SessionView>(
      await hub.api(`/sessions/${session.id}/board`, {
        method: 'PUT',
        token: facilitator.token,
        json: { locked: true },
      }),
      200,
    );
    expect(locked.board.locked).toBe(true);
    // collab re-checks open connections on spaces.doc-access.changed and tells them read-only
    await until(() => expect(e.told.readOnly).toBe(1));
    const refused = writeCard(e.doc, {
      pitchIndex: 0,
      area: 'technology',
      authorId: techie.id,
      text: 'too late',
    });
    const kept = writeCard(f.doc, {
      pitchIndex: 0,
      area: 'creativity',
      authorId: facilitator.id,
      text: 'Summary of the round',
    });
    await until(() => expect(e.doc.getMap('cards').has(kept)).toBe(true));
    await new Promise((r) => setTimeout(r, 300));
    expect(f.doc.getMap('cards').has(refused)).toBe(false);
    const fresh = await hub.board(funder, session.docName);
    expect(fresh.told.readOnly).toBe(1);
    expect(fresh.doc.getMap('cards').has(refused)).toBe(false);
    expect(fresh.doc.getMap('cards').has(kept)).toBe(true);
    expect(e.provider.wsconnected).toBe(true);
  });
});

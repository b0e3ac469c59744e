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

  it('after closing, attaches accepted cards to the proposal: the team accepts one as a suggestion, dismisses one; the idea keeps its lessons', async () => {
    const lead = await hub.member();
    const call = await hub.json<{ id: string }>(
      await hub.api('/calls', {
        method: 'POST',
        token: facilitator.token,
        json: {
          title: 'Pilot projects 2027',
          deadline: new Date(Date.now() + 3_600_000).toISOString(),
          totalBudget: 29_000_000,
          maxPerProject: 2_900_000,
        },
      }),
      201,
    );
    await hub.json(
      await hub.api(`/calls/${call.id}/publish`, { method: 'POST', token: facilitator.token }),
      200,
    );
    const proposal = await hub.json<{ id: string }>(
      await hub.api(`/calls/${call.id}/proposals`, {
        method: 'POST',
        token: lead.token,
        json: { title: 'Tool library for Valencia', country: 'ES' },
      }),
      201,
    );
    const s = await hub.json<SessionView>(
      await hub.api('/sessions', {
        method: 'POST',
        token: facilitator.token,
        json: {
          title: 'Innovation Live — after',
          startsAt: '2027-06-03T17:30:00Z',
          timeZone: 'Europe/Madrid',
          format: 'onsite',
          place: 'Las Naves, Valencia',
        },
      }),
      201,
    );
    await hub.json(
      await hub.api(`/spaces/${s.id}/members`, {
        method: 'POST',
        token: facilitator.token,
        json: { memberId: funder.id, role: 'expert', area: 'funding' },
      }),
      201,
    );
    const pitch = await hub.json<{ index: number; leaderId: string; ideaId: string }>(
      await hub.api(`/sessions/${s.id}/pitches`, {
        method: 'POST',
        token: facilitator.token,
        json: { proposalId: proposal.id, sector: 'civil-society' },
      }),
      201,
    );
    expect(pitch).toMatchObject({ index: 0, leaderId: lead.id });
    const expert = await hub.board(funder, s.docName);
    const anchored = writeCard(expert.doc, {
      pitchIndex: 0,
      area: 'funding',
      authorId: funder.id,
      text: 'Split the budget line for tools',
    });
    expert.doc.getMap<Y.Map<unknown>>('cards').get(anchored)!.set('anchor', 'budget');
    const other = writeCard(expert.doc, {
      pitchIndex: 0,
      area: 'funding',
      authorId: funder.id,
      text: 'Ask a business angel',
    });
    await until(async () => {
      const items = await hub.json<{ items: Judged[] }>(
        await hub.api(`/sessions/${s.id}/cards`, { token: lead.token }),
        200,
      );
      expect(items.items.filter((c) => c.status === 'accepted')).toHaveLength(2);
    });
    const feedback = async () =>
      (
        await hub.json<{ items: { cardId: string; state: string; anchor: string | null }[] }>(
          await hub.api(`/proposals/${proposal.id}/feedback`, { token: lead.token }),
          200,
        )
      ).items;
    // not attached before the session is closed
    expect(await feedback()).toEqual([]);
    for (const step of [{ phase: 'vote' }, { phase: 'wrap-up' }, { phase: 'closed' }])
      await hub.json(
        await hub.api(`/sessions/${s.id}/phase`, {
          method: 'POST',
          token: facilitator.token,
          json: step,
        }),
        200,
      );
    const attached = await feedback();
    expect(attached.map((f) => [f.cardId, f.state]).sort()).toEqual(
      [
        [anchored, 'open'],
        [other, 'open'],
      ].sort(),
    );
    await hub.refused(
      await hub.api(`/proposals/${proposal.id}/feedback`, { token: funder.token }),
      403,
      'FORBIDDEN',
    );
    const suggestionId = 'f'.repeat(32);
    const accepted = await hub.json<{ state: string; suggestionId: string; sessionId: string }>(
      await hub.api(`/proposals/${proposal.id}/feedback/${anchored}/accept`, {
        method: 'POST',
        token: lead.token,
        json: { suggestionId },
      }),
      200,
    );
    expect(accepted).toMatchObject({ state: 'accepted', suggestionId, sessionId: s.id });
    await hub.refused(
      await hub.api(`/proposals/${proposal.id}/feedback/${anchored}/dismiss`, {
        method: 'POST',
        token: lead.token,
        json: { reason: 'changed my mind' },
      }),
      409,
      'INVALID_STATE',
    );
    const dismissed = await hub.json<{ state: string; reason: string }>(
      await hub.api(`/proposals/${proposal.id}/feedback/${other}/dismiss`, {
        method: 'POST',
        token: lead.token,
        json: { reason: 'We have no angel network in Valencia yet' },
      }),
      200,
    );
    expect(dismissed).toMatchObject({ state: 'dismissed' });
    // the board is read-only for everyone once closed
    await until(() => expect(expert.told.readOnly).toBe(1));
    // the idea is in the library, filterable by the area that gave feedback, with its lessons
    const lessons = {
      whatWorked: 'Neighbours lent tools',
      whatFailed: 'Insurance',
      why: 'No cover',
    };
    await hub.json(
      await hub.api(`/ideas/${pitch.ideaId}/lessons`, {
        method: 'PUT',
        token: lead.token,
        json: lessons,
      }),
      200,
    );
    const library = await hub.json<{ items: { id: string; lessons: unknown; areas: string[] }[] }>(
      await hub.api('/ideas?area=funding&sector=civil-society&q=tool%20valen', {
        token: participant.token,
      }),
      200,
    );
    expect(library.items.map((i) => i.id)).toEqual([pitch.ideaId]);
    expect(library.items[0]).toMatchObject({ lessons, areas: ['funding'] });
    const support = () =>
      hub.api(`/ideas/${pitch.ideaId}/support`, { method: 'PUT', token: participant.token });
    const twice = await Promise.all([support(), support()]);
    for (const r of twice)
      expect((await hub.json<{ supportCount: number }>(r, 200)).supportCount).toBe(1);
  });
});

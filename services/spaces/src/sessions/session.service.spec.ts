import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ideaRpc, sessionRpc, spacesRpc } from '@agora/proto';
import { BoardCardsService } from '../board/board-cards.service.js';
import { callInput } from '../testing/fixtures.js';
import { callAs, refusal, streamTypes, type TestMember } from '../testing/rpc-as.js';
import { eventually, startSpacesHarness, type SpacesHarness } from '../testing/spaces-harness.js';

let h: SpacesHarness;
let facilitator: TestMember;
let funder: TestMember;
let techie: TestMember;
let leader: TestMember;
let participant: TestMember;
let outsider: TestMember;

const input = {
  title: 'Innovation Live — Tunis',
  startsAt: '2027-03-01T15:00',
  timeZone: 'Africa/Tunis',
  format: 'mixed' as const,
  place: 'Cité de la Culture, Tunis',
  streamUrl: 'https://www.youtube.com/embed/abc123',
};

async function newSession(dotsBudget = 5) {
  const s = await callAs(h, facilitator, sessionRpc.sessionCreate, { ...input, dotsBudget });
  await callAs(h, facilitator, spacesRpc.memberAdd, {
    id: s.id,
    memberId: funder.id,
    role: 'expert',
    area: 'funding',
  });
  await callAs(h, facilitator, spacesRpc.memberAdd, {
    id: s.id,
    memberId: techie.id,
    role: 'expert',
    area: 'technology',
  });
  await callAs(h, facilitator, sessionRpc.pitchAdd, {
    id: s.id,
    pitch: {
      title: 'Solar co-op for Sfax',
      summary: 'Neighbours own the panels',
      leaderId: leader.id,
    },
  });
  await callAs(h, participant, sessionRpc.sessionJoin, { id: s.id });
  return s;
}

beforeAll(async () => {
  h = await startSpacesHarness();
  facilitator = await h.member('facilitator');
  [funder, techie, leader, participant, outsider] = await Promise.all([
    h.member(),
    h.member(),
    h.member(),
    h.member(),
    h.member(),
  ]);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('sessions', () => {
  it('are scheduled by facilitators only, read the wall clock in their zone, embed allowed streams', async () => {
    expect((await refusal(callAs(h, outsider, sessionRpc.sessionCreate, input))).code).toBe(
      'FORBIDDEN',
    );
    const s = await callAs(h, facilitator, sessionRpc.sessionCreate, input);
    expect(s).toMatchObject({
      kind: 'session',
      docName: `board:${s.id}`,
      startsAt: '2027-03-01T14:00:00.000Z',
      phase: 'lobby',
      pitchIndex: null,
      endsAt: null,
      dotsBudget: 5,
      streamEmbed: true,
      myRole: 'facilitator',
      canFacilitate: true,
    });
    const other = await callAs(h, facilitator, sessionRpc.sessionUpdate, {
      id: s.id,
      patch: { streamUrl: 'https://stream.example.org/live' },
    });
    expect(other.streamEmbed).toBe(false);
    await eventually(async () =>
      expect(await streamTypes(h, s.id)).toEqual(
        expect.arrayContaining(['spaces.session.scheduled', 'spaces.session.updated']),
      ),
    );
  });

  it('take experts with an area only, and refuse an area for anyone else', async () => {
    const s = await callAs(h, facilitator, sessionRpc.sessionCreate, input);
    const noArea = await refusal(
      callAs(h, facilitator, spacesRpc.memberAdd, {
        id: s.id,
        memberId: funder.id,
        role: 'expert',
      }),
    );
    expect(noArea.code).toBe('VALIDATION_FAILED');
    const wrongRole = await refusal(
      callAs(h, facilitator, spacesRpc.memberAdd, {
        id: s.id,
        memberId: funder.id,
        role: 'participant',
        area: 'funding',
      }),
    );
    expect(wrongRole.code).toBe('VALIDATION_FAILED');
    const byExpert = await refusal(
      callAs(h, funder, spacesRpc.memberAdd, {
        id: s.id,
        memberId: techie.id,
        role: 'participant',
      }),
    );
    expect(byExpert.code).toBe('FORBIDDEN');
    const added = await callAs(h, facilitator, spacesRpc.memberAdd, {
      id: s.id,
      memberId: funder.id,
      role: 'expert',
      area: 'funding',
    });
    expect(added).toMatchObject({ role: 'expert', area: 'funding' });
    const list = await callAs(h, funder, spacesRpc.memberList, { id: s.id });
    expect(list.items.find((m) => m.memberId === funder.id)).toMatchObject({ area: 'funding' });
    const byEmail = await refusal(
      callAs(h, facilitator, spacesRpc.memberInviteCheck, { id: s.id, role: 'expert' }),
    );
    expect(byEmail.code).toBe('VALIDATION_FAILED');
    await callAs(h, facilitator, spacesRpc.memberInviteCheck, { id: s.id, role: 'participant' });
    const mine = await callAs(h, funder, sessionRpc.sessionGet, { id: s.id });
    expect(mine).toMatchObject({ myRole: 'expert', myArea: 'funding', canFacilitate: false });
  });

  it('are driven by their facilitators only, forward, with the server holding the deadline', async () => {
    const s = await newSession();
    for (const who of [funder, participant, leader, outsider]) {
      const r = await refusal(
        callAs(h, who, sessionRpc.phaseSet, { id: s.id, phase: 'pitch', pitchIndex: 0 }),
      );
      expect(r.code).toBe('FORBIDDEN');
    }
    const live = await callAs(h, facilitator, sessionRpc.phaseSet, {
      id: s.id,
      phase: 'pitch',
      pitchIndex: 0,
      durationSeconds: 180,
    });
    expect(live).toMatchObject({ phase: 'pitch', pitchIndex: 0 });
    const left = new Date(live.endsAt!).getTime() - h.clock.now().getTime();
    expect(left).toBeGreaterThan(170_000);
    expect(left).toBeLessThanOrEqual(180_000);
    expect(live.startedAt).not.toBeNull();
    const back = await refusal(
      callAs(h, facilitator, sessionRpc.phaseSet, { id: s.id, phase: 'lobby' }),
    );
    expect(back.code).toBe('INVALID_STATE');
    const late = await callAs(h, outsider, sessionRpc.sessionGet, { id: s.id });
    expect(late).toMatchObject({
      phase: 'pitch',
      pitchIndex: 0,
      endsAt: live.endsAt,
      myRole: null,
    });
    expect(Math.abs(Date.parse(late.serverNow) - h.clock.now().getTime())).toBeLessThan(5_000);
    const types = await eventually(async () => {
      const found = await streamTypes(h, s.id);
      expect(found).toContain('spaces.session.phase-changed');
      return found;
    });
    expect(types.filter((t) => t === 'spaces.session.started')).toHaveLength(1);
  });

  it('count each vote key once under concurrent double submits, never over budget', async () => {
    const s = await newSession(5);
    const early = await refusal(
      callAs(h, participant, sessionRpc.voteCast, {
        id: s.id,
        pitchIndex: 0,
        dots: 1,
        idempotencyKey: 'too-early-1',
      }),
    );
    expect(early.code).toBe('INVALID_STATE');
    await callAs(h, facilitator, sessionRpc.phaseSet, { id: s.id, phase: 'vote' });
    const keys = ['dot-key-0001', 'dot-key-0002', 'dot-key-0003'];
    const receipts = await Promise.all(
      keys.flatMap((key) =>
        [0, 1].map(() =>
          callAs(h, participant, sessionRpc.voteCast, {
            id: s.id,
            pitchIndex: 0,
            dots: 1,
            idempotencyKey: key,
          }),
        ),
      ),
    );
    expect(receipts.filter((r) => r.counted)).toHaveLength(3);
    // Five dots: 2 + 2 would overspend; of two concurrent ones, one fits.
    const big = await Promise.allSettled(
      ['dot-key-big1', 'dot-key-big2'].map((key) =>
        callAs(h, participant, sessionRpc.voteCast, {
          id: s.id,
          pitchIndex: 0,
          dots: 2,
          idempotencyKey: key,
        }),
      ),
    );
    expect(big.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const me = await callAs(h, participant, sessionRpc.sessionGet, { id: s.id });
    expect(me.myDotsLeft).toBe(0);
    const byFacilitator = await refusal(
      callAs(h, facilitator, sessionRpc.voteCast, {
        id: s.id,
        pitchIndex: 0,
        dots: 1,
        idempotencyKey: 'fac-dot-01',
      }),
    );
    expect(byFacilitator.code).toBe('FORBIDDEN');
    expect((await refusal(callAs(h, participant, sessionRpc.results, { id: s.id }))).code).toBe(
      'INVALID_STATE',
    );
    expect(await callAs(h, facilitator, sessionRpc.turnout, { id: s.id })).toMatchObject({
      voters: 1,
      dotsSpent: 5,
      dotsBudget: 5,
    });
    expect((await refusal(callAs(h, participant, sessionRpc.turnout, { id: s.id }))).code).toBe(
      'FORBIDDEN',
    );
    await callAs(h, facilitator, sessionRpc.phaseSet, { id: s.id, phase: 'wrap-up' });
    const results = await callAs(h, participant, sessionRpc.results, { id: s.id });
    expect(results.pitches[0]).toMatchObject({ index: 0, dots: 5 });
    expect(results.voters).toBe(1);
  });

  it('judge board cards: an expert in another area is refused, a forged author never judged', async () => {
    const s = await newSession();
    await eventually(async () =>
      expect(
        (await callAs(h, participant, ideaRpc.ideaList, { q: 'solar' })).total,
      ).toBeGreaterThan(0),
    );
    const card = (id: string, authorId: string, area: string) => ({
      id,
      pitchIndex: 0,
      area,
      authorId,
      text: `${area} advice`,
      createdAt: new Date().toISOString(),
    });
    const own = 'a'.repeat(32);
    const foreign = 'b'.repeat(32);
    const forged = 'c'.repeat(32);
    h.collab.writeCard(s.docName, own, card(own, funder.id, 'funding'));
    h.collab.writeCard(s.docName, foreign, card(foreign, funder.id, 'technology'));
    h.collab.writeCard(s.docName, forged, card(forged, techie.id, 'technology'));
    const board = h.service.app.get(BoardCardsService);
    // funder edited in this period; techie did not (the forged card names techie)
    expect(await board.docChanged(s.docName, [funder.id])).toEqual({
      accepted: 1,
      rejected: 1,
      skipped: 1,
      reworded: 0,
    });
    // a redelivery changes nothing
    expect(await board.docChanged(s.docName, [funder.id])).toEqual({
      accepted: 0,
      rejected: 0,
      skipped: 1,
      reworded: 0,
    });
    // its author rewords the accepted card: kept; someone else's period does not touch it
    h.collab.writeCard(s.docName, own, {
      ...card(own, funder.id, 'funding'),
      text: 'ERDF, axis 4',
    });
    expect((await board.docChanged(s.docName, [leader.id]))?.reworded).toBe(0);
    expect((await board.docChanged(s.docName, [funder.id]))?.reworded).toBe(1);
    const cards = await callAs(h, participant, sessionRpc.cards, { id: s.id });
    expect(cards.items.map((c) => [c.cardId, c.status, c.rejection])).toEqual([
      [own, 'accepted', null],
      [foreign, 'rejected', 'foreign-area'],
    ]);
    expect(cards.items[0]!.text).toBe('ERDF, axis 4');
    await eventually(async () => {
      const types = await streamTypes(h, s.id);
      expect(types.filter((t) => t === 'spaces.card.added')).toHaveLength(1);
      expect(types.filter((t) => t === 'spaces.card.rejected')).toHaveLength(1);
    });
    const idea = (
      await callAs(h, participant, ideaRpc.ideaList, { area: 'funding', q: 'solar' })
    ).items.find((i) => i.sessionId === s.id);
    expect(idea?.areas).toEqual(['funding']);
  });

  it('pitch a proposal by its lead, with the start of its summary; once per session', async () => {
    const s = await callAs(h, facilitator, sessionRpc.sessionCreate, input);
    const call = await callAs(h, facilitator, spacesRpc.callCreate, callInput());
    await callAs(h, facilitator, spacesRpc.callPublish, { id: call.id });
    const proposal = await callAs(h, leader, spacesRpc.proposalCreate, {
      callId: call.id,
      title: 'Seed bank of Sfax',
      country: 'TN',
    });
    h.collab.write(proposal.docName, 'summary', 'Farmers keep and swap local seeds.');
    const strangerPitch = await refusal(
      callAs(h, facilitator, sessionRpc.pitchAdd, { id: s.id, pitch: { proposalId: call.id } }),
    );
    expect(strangerPitch.code).toBe('NOT_FOUND');
    const pitch = await callAs(h, facilitator, sessionRpc.pitchAdd, {
      id: s.id,
      pitch: { proposalId: proposal.id, sector: 'civil-society' },
    });
    expect(pitch).toMatchObject({
      index: 0,
      title: 'Seed bank of Sfax',
      summary: 'Farmers keep and swap local seeds.',
      proposalId: proposal.id,
      leaderId: leader.id,
    });
    const again = await refusal(
      callAs(h, facilitator, sessionRpc.pitchAdd, { id: s.id, pitch: { proposalId: proposal.id } }),
    );
    expect(again.code).toBe('CONFLICT');
    const idea = await eventually(async () => {
      const found = (
        await callAs(h, leader, ideaRpc.ideaList, { country: 'TN', sector: 'civil-society' })
      ).items.find((i) => i.sessionId === s.id);
      expect(found).toBeDefined();
      return found!;
    });
    expect(idea).toMatchObject({ proposalId: proposal.id, status: 'in-progress', canEdit: true });
    expect((await callAs(h, leader, sessionRpc.sessionGet, { id: s.id })).myRole).toBe('pitcher');
  });

  it('give the board rights by role, lock and phase', async () => {
    const s = await newSession();
    const right = async (who: TestMember) =>
      (await h.rpc.call(spacesRpc.docAccess, { memberId: who.id, docName: s.docName })).right;
    expect(await right(facilitator)).toBe('write');
    expect(await right(funder)).toBe('write');
    expect(await right(leader)).toBe('write');
    expect(await right(participant)).toBe('comment');
    expect(await right(outsider)).toBe('read');
    await callAs(h, facilitator, sessionRpc.boardSet, { id: s.id, patch: { locked: true } });
    expect(await right(facilitator)).toBe('write');
    expect(await right(funder)).toBe('read');
    expect(await right(participant)).toBe('read');
    await eventually(async () =>
      expect(await streamTypes(h, s.id)).toEqual(
        expect.arrayContaining(['spaces.board.changed', 'spaces.doc-access.changed']),
      ),
    );
    const room = await h.rpc.call(spacesRpc.roomAccess, { memberId: outsider.id, spaceId: s.id });
    expect(room).toEqual({ allowed: true, role: 'participant' });
  });

  it('keep ideas: support once per member, lessons by the team, status changes', async () => {
    const s = await newSession();
    const idea = await eventually(async () => {
      const found = (await callAs(h, outsider, ideaRpc.ideaList, {})).items.find(
        (i) => i.sessionId === s.id,
      );
      expect(found).toBeDefined();
      return found!;
    });
    const twice = await Promise.all(
      [0, 1].map(() => callAs(h, outsider, ideaRpc.supportSet, { id: idea.id, supported: true })),
    );
    expect(twice.map((t) => t.supportCount)).toEqual([1, 1]);
    await callAs(h, outsider, ideaRpc.supportSet, { id: idea.id, supported: false });
    expect(
      (await callAs(h, outsider, ideaRpc.supportSet, { id: idea.id, supported: false }))
        .supportCount,
    ).toBe(0);
    const lessons = { whatWorked: 'Neighbours', whatFailed: 'The bank', why: 'No guarantee fund' };
    expect(
      (await refusal(callAs(h, outsider, ideaRpc.lessonsSet, { id: idea.id, ...lessons }))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await callAs(h, leader, ideaRpc.lessonsSet, { id: idea.id, ...lessons })).lessons,
    ).toEqual(lessons);
    const failed = await callAs(h, facilitator, ideaRpc.statusSet, {
      id: idea.id,
      status: 'not-funded',
    });
    expect(failed.status).toBe('not-funded');
    expect(
      (await callAs(h, outsider, ideaRpc.ideaList, { status: 'not-funded' })).items.map(
        (i) => i.id,
      ),
    ).toContain(idea.id);
    await eventually(async () =>
      expect(await streamTypes(h, idea.id)).toEqual(
        expect.arrayContaining([
          'spaces.idea.supported',
          'spaces.idea.support-withdrawn',
          'spaces.idea.lessons-updated',
          'spaces.idea.status-changed',
        ]),
      ),
    );
  });
});

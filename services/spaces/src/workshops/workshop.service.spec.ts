import {
  calendarRpc,
  communityRpc,
  sessionRpc,
  spacesRpc,
  workshopRpc,
  type RpcRequest,
} from '@agora/proto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../calendar/calendar-feed.repository.js';
import { RosterSyncService } from '../registrations/roster-sync.service.js';
import { callAs, refusal, streamTypes, type TestMember } from '../testing/rpc-as.js';
import { eventually, startSpacesHarness, type SpacesHarness } from '../testing/spaces-harness.js';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

function workshopInput(
  over: Partial<RpcRequest<typeof workshopRpc.workshopCreate>> = {},
): RpcRequest<typeof workshopRpc.workshopCreate> {
  return {
    title: 'ورشة وطنية — عمّان',
    country: 'JO',
    language: 'ar',
    format: 'mixed',
    startsAt: inDays(30),
    endsAt: new Date(Date.now() + 30 * DAY + 3 * 3_600_000).toISOString(),
    timeZone: 'Asia/Amman',
    capacity: 2,
    place: 'Amman',
    link: 'https://meet.example.org/amman',
    ...over,
  };
}

describe('workshops in spaces (real spaces, nats-server, embedded store, collab stand-in)', () => {
  let h: SpacesHarness;
  let facilitator: TestMember;
  let a: TestMember;
  let b: TestMember;
  let c: TestMember;

  beforeAll(async () => {
    h = await startSpacesHarness();
    facilitator = await h.member('facilitator');
    [a, b, c] = await Promise.all([h.member(), h.member(), h.member()]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('keeps a draft to its facilitators, then seeds the notes with the agenda on publication', async () => {
    const draft = await callAs(h, facilitator, workshopRpc.workshopCreate, {
      ...workshopInput(),
      draft: true,
    });
    expect(draft.status).toBe('draft');
    expect(draft.agenda[0]?.title).toBe('الترحيب والتعارف');
    expect(await refusal(callAs(h, a, workshopRpc.workshopGet, { id: draft.id }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await refusal(callAs(h, a, workshopRpc.registrationCreate, { id: draft.id })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(h.collab.seedCalls).not.toContain(draft.docName);
    const agenda = [
      { key: 'welcome', title: 'أهلاً وسهلاً', minutes: 15 },
      { key: 'local-voices', title: 'أصوات محلية', minutes: null },
    ];
    const published = await callAs(h, facilitator, workshopRpc.workshopUpdate, {
      id: draft.id,
      patch: { agenda, draft: false },
    });
    expect(published).toMatchObject({ status: 'published', registrationOpen: true });
    await eventually(() =>
      expect(h.collab.docs.get(draft.docName)?.sections.map((s) => s.heading)).toEqual([
        'أهلاً وسهلاً',
        'أصوات محلية',
      ]),
    );
    expect(await streamTypes(h, draft.id)).toEqual(
      expect.arrayContaining(['spaces.workshop.scheduled', 'spaces.notes.opened']),
    );
    expect(
      await refusal(
        callAs(h, facilitator, workshopRpc.workshopUpdate, {
          id: draft.id,
          patch: { draft: true },
        }),
      ),
    ).toMatchObject({ code: 'INVALID_STATE' });
    // the national community of Jordan was made on first use, with its guide seeded in Arabic
    const national = await callAs(h, a, communityRpc.communityNational, { country: 'JO' });
    expect(national).toMatchObject({ type: 'national', language: 'ar', myRight: 'read' });
    await eventually(() => expect(h.collab.docs.get(national.docName)?.seeded).toBe(true));
    // a co-facilitator trains in the community too: they write its guide
    const co = await callAs(h, facilitator, workshopRpc.workshopCreate, {
      ...workshopInput(),
      facilitatorIds: [b.id],
    });
    expect(co.facilitators).toEqual([facilitator.id, b.id]);
    expect(await callAs(h, b, communityRpc.communityNational, { country: 'JO' })).toMatchObject({
      myRole: 'moderator',
      myRight: 'write',
    });
  });

  it('gives notes rights by roster: participants write, the waiting list reads; closes registration on time', async () => {
    const w = await callAs(h, facilitator, workshopRpc.workshopCreate, workshopInput());
    expect(await callAs(h, a, workshopRpc.registrationCreate, { id: w.id })).toEqual({
      status: 'registered',
    });
    await callAs(h, b, workshopRpc.registrationCreate, { id: w.id });
    expect(await callAs(h, c, workshopRpc.registrationCreate, { id: w.id })).toEqual({
      status: 'waitlisted',
      position: 1,
    });
    const access = (m: TestMember) =>
      h.rpc.call(spacesRpc.docAccess, { memberId: m.id, docName: w.docName });
    expect(await access(a)).toEqual({ right: 'write', role: 'participant' });
    expect(await access(c)).toEqual({ right: 'read', role: 'waitlisted' });
    expect(await access(facilitator)).toEqual({ right: 'write', role: 'facilitator' });
    // memberships follow the roster, and a redelivered sync changes nothing
    await eventually(async () => {
      const mine = await h.db
        .collection<{ role: string }>('memberships')
        .find({ spaceId: new ObjectId(w.id), active: true })
        .toArray();
      expect(mine.map((m) => m.role).sort()).toEqual([
        'facilitator',
        'participant',
        'participant',
        'waitlisted',
      ]);
    });
    const membershipEvents = async () =>
      (await streamTypes(h, w.id)).filter((t) => t.startsWith('spaces.membership.'));
    // one membership.added each, once the relay has published them all
    await eventually(async () => expect(await membershipEvents()).toHaveLength(4));
    await h.service.app.get(RosterSyncService).sync(w.id, c.id);
    await h.service.app.get(RosterSyncService).sync(w.id, c.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(await membershipEvents()).toHaveLength(4);

    const closing = await callAs(h, facilitator, workshopRpc.workshopCreate, {
      ...workshopInput(),
      registrationClosesAt: inDays(2),
    });
    h.clock.advance(3 * DAY);
    try {
      expect(
        await refusal(callAs(h, a, workshopRpc.registrationCreate, { id: closing.id })),
      ).toMatchObject({
        code: 'INVALID_STATE',
        message: 'registration for this workshop is closed',
      });
    } finally {
      h.clock.advance(-3 * DAY);
    }
  });

  it('decides 40 registrations arriving at once in order, a refused one (twice the same member) alone', async () => {
    const w = await callAs(h, facilitator, workshopRpc.workshopCreate, {
      ...workshopInput(),
      capacity: 10,
    });
    const people = await Promise.all(Array.from({ length: 39 }, () => h.member()));
    const twice = people[0]!;
    const outcomes = await Promise.allSettled(
      [...people, twice].map((m) => callAs(h, m, workshopRpc.registrationCreate, { id: w.id })),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    const answers = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(answers.filter((a) => a.status === 'registered')).toHaveLength(10);
    expect(
      answers.flatMap((a) => (a.status === 'waitlisted' ? [a.position] : [])).sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
    const roster = await callAs(h, facilitator, workshopRpc.rosterGet, { id: w.id });
    expect(new Set([...roster.registered, ...roster.waitlist]).size).toBe(39);
  });

  it('keeps the roster and the waiting order across a restart; memberships still follow', async () => {
    const w = await callAs(h, facilitator, workshopRpc.workshopCreate, {
      ...workshopInput(),
      capacity: 1,
    });
    const [p, q, r] = await Promise.all([h.member(), h.member(), h.member()]);
    await callAs(h, p, workshopRpc.registrationCreate, { id: w.id });
    await callAs(h, q, workshopRpc.registrationCreate, { id: w.id });
    await h.restart();
    expect(await callAs(h, r, workshopRpc.registrationCreate, { id: w.id })).toEqual({
      status: 'waitlisted',
      position: 2,
    });
    await callAs(h, p, workshopRpc.registrationCancel, { id: w.id });
    expect(await callAs(h, q, workshopRpc.registrationGet, { id: w.id })).toEqual({
      status: 'registered',
    });
    await eventually(async () => {
      const roles = await h.db
        .collection<{ memberId: ObjectId; role: string }>('memberships')
        .find({ spaceId: new ObjectId(w.id), active: true })
        .toArray();
      const of = (m: TestMember) => roles.find((x) => x.memberId.toHexString() === m.id)?.role;
      expect([of(p), of(q), of(r)]).toEqual([undefined, 'participant', 'waitlisted']);
    });
  });

  it('keeps only a hash of the feed token; a reset makes the old token unknown', async () => {
    const info = await callAs(h, a, calendarRpc.calendarInfo, {});
    expect(info.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await callAs(h, a, calendarRpc.calendarInfo, {})).token).toBe(info.token);
    const stored = await h.db.collection('calendar_feeds').find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain(info.token);
    expect(stored.map((s) => s.tokenHash as string)).toContain(hashToken(info.token));
    const feed = await h.rpc.call(calendarRpc.calendarFeed, { token: info.token });
    expect(feed.ics).toContain('BEGIN:VCALENDAR');
    const fresh = await callAs(h, a, calendarRpc.calendarReset, {});
    expect(fresh.token).not.toBe(info.token);
    await expect(h.rpc.call(calendarRpc.calendarFeed, { token: info.token })).rejects.toMatchObject(
      { body: { code: 'NOT_FOUND' } },
    );
    await expect(
      h.rpc.call(calendarRpc.calendarFeed, { token: fresh.token }),
    ).resolves.toMatchObject({ filename: 'agora.ics' });
  });

  it("puts the Market Place sessions one runs in the feed beside one's workshops, each zone once", async () => {
    const session = await callAs(h, facilitator, sessionRpc.sessionCreate, {
      title: 'Innovation Live — Lisboa',
      startsAt: '2027-07-01T18:00',
      timeZone: 'Europe/Lisbon',
      format: 'onsite',
      place: 'Lisboa',
    });
    const info = await callAs(h, facilitator, calendarRpc.calendarInfo, {});
    const { ics } = await h.rpc.call(calendarRpc.calendarFeed, { token: info.token });
    expect(ics).toContain(`UID:session-${session.id}@agora`);
    // 18:00 in Lisbon in July (UTC+1), two hours long
    expect(ics).toContain('DTSTART;TZID=Europe/Lisbon:20270701T180000');
    expect(ics).toContain('DTEND;TZID=Europe/Lisbon:20270701T200000');
    expect(ics.match(/TZID:Asia\/Amman/g)).toHaveLength(1);
    expect(ics.match(/TZID:Europe\/Lisbon/g)).toHaveLength(1);
    const entries = await callAs(h, facilitator, calendarRpc.calendarEntries, {});
    expect(entries.items.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['workshop', 'session']),
    );
  });

  it('lets the owners of a private group add members, who then read its guide', async () => {
    const group = await callAs(h, a, communityRpc.communityCreate, {
      title: 'Women entrepreneurs, Zarqa',
      visibility: 'private',
    });
    expect(await refusal(callAs(h, b, communityRpc.communityJoin, { id: group.id }))).toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    const guide = (m: TestMember) =>
      h.rpc.call(spacesRpc.docAccess, { memberId: m.id, docName: group.docName });
    expect(await guide(b)).toEqual({ right: 'none', role: null });
    await callAs(h, a, spacesRpc.memberAdd, { id: group.id, memberId: b.id, role: 'member' });
    expect(await guide(b)).toEqual({ right: 'read', role: 'member' });
    expect(await guide(a)).toEqual({ right: 'write', role: 'owner' });
    expect(
      await refusal(callAs(h, a, communityRpc.communityLeave, { id: group.id })),
    ).toMatchObject({ code: 'CONFLICT' });
    await callAs(h, b, communityRpc.communityLeave, { id: group.id });
    expect(await guide(b)).toEqual({ right: 'none', role: null });
  });
});

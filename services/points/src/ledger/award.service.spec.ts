import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { forumEvents, identityEvents, pointsRpc, type EventDef, type Rule } from '@agora/proto';
import { newBatchId } from '../balances/balance-moves.repository.js';
import type { ApplyIntentDoc } from './apply-intents.repository.js';
import type { EntryDoc } from './entry.schema.js';
import {
  eventually,
  newMemberId,
  referenceBalances,
  startPointsHarness,
  type PointsHarness,
  type StreamEvent,
  type TestMember,
} from '../testing/index.js';

/** A small seeded PRNG (mulberry32), so a failing stream can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planned extends StreamEvent {
  def: EventDef;
}

/** A random day of activity for `members`: every kind the table pays, with deletions and unlikes. */
function randomStream(rand: () => number, members: string[], day: string): Planned[] {
  const out: Planned[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  let clock = Date.parse(`${day}T01:00:00.000Z`);
  const ev = (def: EventDef, data: Record<string, string | string[] | null>): Planned => {
    clock += 1 + Math.floor(rand() * 1000);
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) if (typeof v === 'string') flat[k] = v;
    const e = { id: randomUUID(), type: def.type, occurredAt: new Date(clock), data: flat, def };
    (e as unknown as { raw: unknown }).raw = data;
    out.push(e);
    return e;
  };
  const posts: Array<{ id: string; author: string }> = [];
  const comments: Array<{ id: string; post: string; author: string }> = [];
  for (const m of members) {
    ev(identityEvents.memberRegistered, { memberId: m, invitedBy: null });
    if (rand() < 0.7) ev(identityEvents.profileCompleted, { memberId: m, fields: ['bio'] });
    for (let i = 0; i < 2; i += 1)
      if (rand() < 0.5) ev(identityEvents.avatarChanged, { memberId: m, avatarUrl: '/a' });
    if (rand() < 0.5) ev(identityEvents.profileUpdated, { memberId: m, fields: ['bio'] });
    // The same day reached from two time zones is one day; another day is another.
    ev(identityEvents.dailyLoginRecorded, { memberId: m, day, timeZone: 'Africa/Tunis' });
    if (rand() < 0.5)
      ev(identityEvents.dailyLoginRecorded, { memberId: m, day, timeZone: 'Asia/Tokyo' });
    if (rand() < 0.5)
      ev(identityEvents.dailyLoginRecorded, {
        memberId: m,
        day: '2026-11-30',
        timeZone: 'Pacific/Apia',
      });
    for (let i = 0; i < Math.floor(rand() * 4); i += 1)
      ev(identityEvents.invitationSent, { invitationId: newMemberId(), inviterId: m });
  }
  for (let i = 0; i < members.length * 2; i += 1) {
    const p = { id: newMemberId(), author: pick(members) };
    posts.push(p);
    ev(forumEvents.postPublished, { postId: p.id, authorId: p.author, spaceId: null, tags: [] });
  }
  for (let i = 0; i < members.length * 3; i += 1) {
    const post = pick(posts);
    const c = { id: newMemberId(), post: post.id, author: pick(members) };
    comments.push(c);
    if (rand() < 0.6)
      ev(forumEvents.commentWritten, { commentId: c.id, postId: c.post, authorId: c.author });
    else
      ev(forumEvents.replyPosted, {
        commentId: c.id,
        postId: c.post,
        authorId: c.author,
        replyTo: pick(comments).id,
      });
  }
  // Likes: several like/unlike rounds per pair, self-likes among them.
  for (let i = 0; i < members.length * 12; i += 1) {
    const liker = pick(members);
    const onPost = rand() < 0.7;
    const target = onPost ? pick(posts) : pick(comments);
    const like = {
      targetType: onPost ? 'post' : 'comment',
      targetId: target.id,
      likerId: liker,
      authorId: target.author,
    };
    const rounds = 1 + Math.floor(rand() * 3);
    for (let r = 0; r < rounds; r += 1) {
      ev(forumEvents.likeGiven, like);
      if (rand() < 0.5) ev(forumEvents.likeWithdrawn, like);
    }
  }
  for (const p of posts)
    if (rand() < 0.25) ev(forumEvents.postDeleted, { postId: p.id, authorId: p.author });
  for (const c of comments) {
    if (rand() >= 0.2) continue;
    const written = out.find((e) => e.data['commentId'] === c.id);
    if (written?.type === forumEvents.commentWritten.type)
      ev(forumEvents.commentDeleted, { commentId: c.id, postId: c.post, authorId: c.author });
    else if (written)
      ev(forumEvents.replyDeleted, {
        commentId: c.id,
        postId: c.post,
        authorId: c.author,
        replyTo: written.data['replyTo'] ?? '',
      });
  }
  return out;
}

/** Deliveries: every event once, 30% again (a replay with the same envelope id), all shuffled. */
function deliveries(rand: () => number, events: Planned[]): Planned[] {
  const all = [...events, ...events.filter(() => rand() < 0.3)];
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j] as Planned, all[i] as Planned];
  }
  return all;
}

describe('the award engine against a reference computed from the rules', () => {
  let h: PointsHarness;
  let admin: TestMember;
  let rules: Rule[];

  beforeAll(async () => {
    h = await startPointsHarness();
    admin = await h.member('admin');
    rules = (await h.call(admin, pointsRpc.rulesGet, {})).rules;
  }, 60_000);
  afterAll(() => h?.stop());

  for (const seed of [1, 2]) {
    it(`random stream ${seed}: duplicates, replays and any order pay what the rules say`, async () => {
      const rand = prng(seed);
      const members = Array.from({ length: 6 }, () => newMemberId());
      const events = randomStream(rand, members, '2026-12-01');
      for (const e of deliveries(rand, events)) {
        await h.publish({
          def: e.def,
          data: (e as unknown as { raw: never }).raw,
          id: e.id,
          occurredAt: e.occurredAt,
        });
      }
      await h.drained(60_000);
      const expected = referenceBalances(rules, events);
      // The stream exercises every kind: a meaningful total, likes paid and taken back.
      expect([...expected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
      for (const m of members) {
        const me = await h.call(await h.as(m), pointsRpc.meGet, {});
        expect({ m, balance: me.balance }).toEqual({ m, balance: expected.get(m) ?? 0 });
      }
      const rebuilt = await h.call(admin, pointsRpc.rebuild, {});
      expect(rebuilt.mismatches).toEqual([]);
      const reversals = await h.db.collection('entries').countDocuments({ points: { $lt: 0 } });
      expect(reversals).toBeGreaterThan(0);
    }, 120_000);
  }

  it('like, unlike, like: pays 1 while it stands, never more; a self-like pays nothing', async () => {
    const [liker, author] = [await h.member(), newMemberId()];
    const postId = newMemberId();
    const like = {
      targetType: 'post' as const,
      targetId: postId,
      likerId: liker.id,
      authorId: author,
    };
    const t0 = Date.now();
    const steps: Array<[EventDef, number]> = [
      [forumEvents.likeGiven, 1],
      [forumEvents.likeWithdrawn, 0],
      [forumEvents.likeGiven, 1],
      [forumEvents.likeWithdrawn, 0],
      [forumEvents.likeGiven, 1],
    ];
    for (const [i, [def, expected]] of steps.entries()) {
      await h.publish({ def, data: like, occurredAt: new Date(t0 + i * 1000) });
      await h.drained();
      expect((await h.call(liker, pointsRpc.meGet, {})).balance).toBe(expected);
    }
    await h.publish({
      def: forumEvents.likeGiven,
      data: { ...like, authorId: liker.id, targetId: newMemberId() },
    });
    await h.drained();
    expect((await h.call(liker, pointsRpc.meGet, {})).balance).toBe(1);
    const page = await h.call(liker, pointsRpc.ledgerList, { limit: 10 });
    expect(page.entries.map((e) => e.points)).toEqual([1, -1, 1, -1, 1]);
    expect(page.entries.every((e) => e.rule === 'like-given' && e.source.id === postId)).toBe(true);
  }, 60_000);

  it('invitations pay 30 each up to the daily cap of 10', async () => {
    const inviter = await h.member();
    for (let i = 0; i < 13; i += 1)
      await h.publish({
        def: identityEvents.invitationSent,
        data: { invitationId: newMemberId(), inviterId: inviter.id },
      });
    await h.drained();
    expect((await h.call(inviter, pointsRpc.meGet, {})).balance).toBe(300);
  }, 60_000);

  it('the login award: one per date whatever the zone it was reached from', async () => {
    const m = await h.member();
    const login = (day: string, timeZone: string) =>
      h.publish({
        def: identityEvents.dailyLoginRecorded,
        data: { memberId: m.id, day, timeZone },
      });
    await login('2026-12-01', 'Pacific/Kiritimati');
    await login('2026-12-01', 'Pacific/Pago_Pago');
    await login('2026-12-01', 'Africa/Tunis');
    await login('2026-12-02', 'Pacific/Kiritimati');
    await h.drained();
    expect((await h.call(m, pointsRpc.meGet, {})).balance).toBe(10);
  }, 60_000);

  it('likes received: 10 points each time the distinct likes cross another 20, once ever', async () => {
    const author = await h.member();
    const postId = newMemberId();
    const likers = Array.from({ length: 41 }, () => newMemberId());
    for (const likerId of likers) {
      const like = { targetType: 'post' as const, targetId: postId, likerId, authorId: author.id };
      await h.publish({ def: forumEvents.likeGiven, data: like });
      await h.publish({ def: forumEvents.likeWithdrawn, data: like });
      await h.publish({ def: forumEvents.likeGiven, data: like });
    }
    await h.drained();
    expect((await h.call(author, pointsRpc.meGet, {})).balance).toBe(20);
    const page = await h.call(author, pointsRpc.ledgerList, {
      limit: 10,
      rule: 'likes-received-20',
    });
    expect(page.entries).toHaveLength(2);
  }, 60_000);

  it('a deleted post takes its 20 back, also when the deletion arrives first', async () => {
    const author = await h.member();
    const [kept, deleted, early] = [newMemberId(), newMemberId(), newMemberId()];
    const post = (postId: string) => ({ postId, authorId: author.id, spaceId: null, tags: [] });
    await h.publish({ def: forumEvents.postPublished, data: post(kept) });
    await h.publish({ def: forumEvents.postPublished, data: post(deleted) });
    await h.drained();
    await h.publish({
      def: forumEvents.postDeleted,
      data: { postId: deleted, authorId: author.id },
    });
    await h.publish({ def: forumEvents.postDeleted, data: { postId: early, authorId: author.id } });
    await h.drained();
    await h.publish({ def: forumEvents.postPublished, data: post(early) });
    await h.drained();
    expect((await h.call(author, pointsRpc.meGet, {})).balance).toBe(20);
  }, 60_000);
  it('a post whose award a crash left behind a deletion is taken back on redelivery', async () => {
    const author = await h.member();
    const postId = newMemberId();
    const at = new Date();
    // What a kill leaves: the first delivery wrote the award under its intent, the deletion ran
    // before it and found nothing to reverse, and the kill came before the balance took the award
    // or the award looked for the tombstone again.
    await h.db.collection<EntryDoc>('entries').insertOne(postEntry(author.id, postId, at));
    await h.db
      .collection<ApplyIntentDoc>('apply_intents')
      .insertOne({ _id: newBatchId(Date.now() - 60_000), keys: [`post-published:${postId}`] });
    await h.db
      .collection<{ _id: string; at: Date }>('tombstones')
      .insertOne({ _id: `post-published:${postId}`, at });
    await h.publish({
      def: forumEvents.postPublished,
      data: { postId, authorId: author.id, spaceId: null, tags: [] },
    });
    await h.drained();
    await eventually(async () =>
      expect(await h.db.collection('apply_intents').countDocuments()).toBe(0),
    );
    expect((await h.call(author, pointsRpc.meGet, {})).balance).toBe(0);
  }, 60_000);

  it('an award a kill left in the ledger but not in the balance is paid once by its redelivery', async () => {
    const author = await h.member();
    const postId = newMemberId();
    const at = new Date();
    const key = `post-published:${postId}`;
    // The kill came after the insert, before the balance: the intent (young, not yet abandoned)
    // still names the entry, so the redelivery that finds the entry stored applies it.
    await h.db.collection<EntryDoc>('entries').insertOne(postEntry(author.id, postId, at));
    await h.db
      .collection<ApplyIntentDoc>('apply_intents')
      .insertOne({ _id: newBatchId(Date.now() - 1_000), keys: [key] });
    await h.publish({
      def: forumEvents.postPublished,
      data: { postId, authorId: author.id, spaceId: null, tags: [] },
      occurredAt: at,
    });
    await h.drained();
    expect((await h.call(author, pointsRpc.meGet, {})).balance).toBe(20);
    // The harness's repair (every 500 ms) takes the intent over once 15 s old: the balance, which
    // holds the entry already, does not take it again.
    await eventually(async () => {
      expect(await h.db.collection('apply_intents').countDocuments()).toBe(0);
    }, 25_000);
    expect((await h.call(author, pointsRpc.meGet, {})).balance).toBe(20);
    expect(await h.db.collection('entries').countDocuments({ _id: key } as never)).toBe(1);
  }, 60_000);

  it('the repair applies what an abandoned intent names and exists, once; a key never written is dropped', async () => {
    const author = await h.member();
    const [written, never] = [newMemberId(), newMemberId()];
    const at = new Date();
    // A kill after the insert and before the balance, with no redelivery to follow (its batch was
    // never delivered again), and a second intent killed before its insert.
    await h.db.collection<EntryDoc>('entries').insertOne(postEntry(author.id, written, at));
    await h.db.collection<ApplyIntentDoc>('apply_intents').insertMany([
      { _id: newBatchId(Date.now() - 60_000), keys: [`post-published:${written}`] },
      { _id: newBatchId(Date.now() - 60_000), keys: [`post-published:${never}`] },
    ]);
    await eventually(async () =>
      expect(await h.db.collection('apply_intents').countDocuments()).toBe(0),
    );
    expect((await h.call(author, pointsRpc.meGet, {})).balance).toBe(20);
    expect(await h.db.collection('entries').countDocuments({ memberId: author.id })).toBe(1);
  }, 60_000);

  it('a replay of an old award the balance no longer remembers pays nothing', async () => {
    const author = await h.member();
    const postId = newMemberId();
    const id = randomUUID();
    // The same envelope both times: a replay, not a second post.
    const publishPost = () =>
      h.publish({
        def: forumEvents.postPublished,
        data: { postId, authorId: author.id, spaceId: null, tags: [] },
        id,
      });
    await publishPost();
    await h.drained();
    expect((await h.call(author, pointsRpc.meGet, {})).balance).toBe(20);
    // Long after: the balance's recent keys have moved past this award's.
    await h.db
      .collection<{ _id: string; recent: string[] }>('balances')
      .updateOne({ _id: author.id }, { $set: { recent: [] } });
    await publishPost();
    await h.drained();
    expect((await h.call(author, pointsRpc.meGet, {})).balance).toBe(20);
    expect(await h.db.collection('apply_intents').countDocuments()).toBe(0);
  }, 60_000);
});

/** The ledger entry of a published post's award, as the writer stores it. */
function postEntry(memberId: string, postId: string, at: Date): EntryDoc {
  return {
    _id: `post-published:${postId}`,
    memberId,
    rule: 'post-published',
    ruleVersion: 1,
    points: 20,
    sourceType: 'post',
    sourceId: postId,
    reason: null,
    at,
    month: at.toISOString().slice(0, 7),
    seq: at.getTime() * 1000,
    fromMember: null,
    balanceAfter: null,
  };
}

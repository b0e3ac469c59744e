import { ObjectId } from 'mongodb';
import { chatRpc, identityEvents, spacesEvents, type MessageView } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../common/object-id.js';
import {
  eventually,
  refusal,
  startChatHarness,
  type ChatHarness,
  type TestMember,
} from '../testing/index.js';
import { SeqRepair } from './seq-repair.service.js';

let h: ChatHarness;
// Long enough that a live sender, stalled between its seq and its write on a loaded machine (100
// concurrent sends below), is not taken for a dead one; the repair tests wait this long.
const REPAIR_AFTER_MS = 1_500;

beforeAll(async () => {
  h = await startChatHarness({
    CHAT_SEND_BURST: '30',
    CHAT_SEND_PER_SEC: '0.5',
    CHAT_SEQ_REPAIR_AFTER_MS: String(REPAIR_AFTER_MS),
  });
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

let counter = 0;
const cid = () => `c-${(counter += 1)}`;

async function dm(a: TestMember, ...others: TestMember[]) {
  return h.call(a, chatRpc.dmOpen, { memberIds: others.map((o) => o.id) });
}

function send(who: TestMember, channelId: string, body: string, clientMessageId = cid()) {
  return h.call(who, chatRpc.messageSend, { channelId, body, clientMessageId });
}

async function history(who: TestMember, channelId: string): Promise<MessageView[]> {
  const out: MessageView[] = [];
  let after = 0;
  for (;;) {
    const page = await h.call(who, chatRpc.messageList, {
      channelId,
      query: { after, limit: 100 },
    });
    out.push(...page.messages);
    if (!page.hasMore) return out;
    after = page.messages.at(-1)?.seq ?? after;
  }
}

describe('direct channels', () => {
  it('answer the same channel for the same member set, whoever asks and in any order', async () => {
    const [a, b, c] = await Promise.all([h.member(), h.member(), h.member()]);
    const first = await dm(a, b, c);
    const again = await dm(c, b, a);
    const racing = await Promise.all([dm(b, a, c), dm(a, c, b), dm(c, a, b)]);
    expect(again.id).toBe(first.id);
    expect(racing.map((r) => r.id)).toEqual([first.id, first.id, first.id]);
    expect([...first.memberIds].sort()).toEqual([a.id, b.id, c.id].sort());
    expect((await dm(a, b)).id).not.toBe(first.id);
  });

  it('refuse a channel with nobody else', async () => {
    const a = await h.member();
    expect((await refusal(dm(a, a))).code).toBe('VALIDATION_FAILED');
  });

  it('can be left, and the one who left can neither read nor post there', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    await h.call(b, chatRpc.channelLeave, { channelId: ch.id });
    expect((await refusal(send(b, ch.id, 'still here?'))).code).toBe('FORBIDDEN');
    expect(await h.rpc.call(chatRpc.channelAccess, { memberId: b.id, channelId: ch.id })).toEqual({
      allowed: false,
    });
    expect((await h.call(a, chatRpc.channelGet, { channelId: ch.id })).memberIds).toEqual([a.id]);
  });
});

describe('sending', () => {
  it('answers the stored message again for the same clientMessageId (created: false)', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const first = await send(a, ch.id, 'hello **there**', 'retry-1');
    const again = await send(a, ch.id, 'hello **there**', 'retry-1');
    expect(first.created).toBe(true);
    expect(first.message.seq).toBe(1);
    expect(first.message.html).toBe('<p>hello <strong>there</strong></p>');
    expect(again).toEqual({ created: false, message: first.message });
    // Another author may use the same client id: ids are per author.
    expect((await send(b, ch.id, 'me too', 'retry-1')).message.seq).toBe(2);
  });

  it('answers a retry older than the recent sends once, the sequence still whole', async () => {
    const [a, b, c] = await Promise.all([h.member(), h.member(), h.member()]);
    const ch = await dm(a, b, c);
    const first = await send(a, ch.id, 'long ago', 'old-retry');
    // More sends since than the channel remembers (32), from others (budgets are per member).
    for (let i = 0; i < 17; i += 1) {
      await send(b, ch.id, `b${i}`);
      await send(c, ch.id, `c${i}`);
    }
    const again = await send(a, ch.id, 'long ago', 'old-retry');
    expect(again).toEqual({ created: false, message: first.message });
    const next = await send(a, ch.id, 'after the retry');
    const stored = await history(a, ch.id);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.filter((m) => m.body === 'long ago')).toHaveLength(1);
    expect(next.message.seq).toBe(stored.at(-1)?.seq);
  }, 30_000);

  it('numbers messages from 1 without gaps or repeats under 20 concurrent senders', async () => {
    const senders = await Promise.all(Array.from({ length: 20 }, () => h.member()));
    const [first, ...rest] = senders;
    if (!first) throw new Error('no senders');
    const ch = await dm(first, ...rest);
    const sent = await Promise.all(
      senders.flatMap((s) =>
        Array.from({ length: 5 }, (_, i) => send(s, ch.id, `m${i} from ${s.id}`)),
      ),
    );
    const seqs = sent.map((r) => r.message.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const stored = await history(first, ch.id);
    expect(stored.map((m) => m.seq)).toEqual(seqs);
    expect((await h.call(first, chatRpc.channelGet, { channelId: ch.id })).lastSeq).toBe(100);
  }, 60_000);

  it('lets a concurrent retry of one clientMessageId store it once and leaves no gap behind', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const tries = await Promise.all(
      Array.from({ length: 6 }, () => send(a, ch.id, 'once', 'same')),
    );
    expect(tries.filter((t) => t.created)).toHaveLength(1);
    expect(new Set(tries.map((t) => t.message.id)).size).toBe(1);
    const stored = await history(a, ch.id);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.filter((m) => m.authorId === a.id)).toHaveLength(1);
  });

  it('fills the seq of a sender that died between reserving and writing, so no gap stays', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    await send(a, ch.id, 'one');
    // What a sender that crashed after the channel's $inc leaves behind: seq 2 reserved, no message.
    await h.db.collection('channels').updateOne({ _id: new ObjectId(ch.id) }, {
      $inc: { lastSeq: 1 },
      $push: { pending: { rid: 'crashed', at: h.clock.now() } },
    } as never);
    await send(b, ch.id, 'three');
    await eventually(async () => {
      const stored = await history(a, ch.id);
      expect(stored.map((m) => [m.seq, m.authorId, m.deleted])).toEqual([
        [1, a.id, false],
        [2, null, true],
        [3, b.id, false],
      ]);
    });
    const doc = await h.db.collection('channels').findOne({ _id: new ObjectId(ch.id) });
    await eventually(async () => {
      const after = await h.db.collection('channels').findOne({ _id: new ObjectId(ch.id) });
      expect(after?.pending).toEqual([]);
    });
    expect(doc?.lastSeq).toBe(3);
  });

  it('fills a crashed reservation at the tail once every reservation is old', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    await h.db.collection('channels').updateOne({ _id: new ObjectId(ch.id) }, {
      $inc: { lastSeq: 1 },
      $push: { pending: { rid: 'crashed', at: h.clock.now() } },
    } as never);
    // Not before the repair delay: a live sender holding seq 1 still has time to write it.
    expect(await h.service.app.get(SeqRepair).runOnce()).toBe(0);
    await eventually(async () => {
      const stored = await history(a, ch.id);
      expect(stored.map((m) => m.seq)).toEqual([1]);
      expect(stored[0]?.authorId).toBeNull();
    });
    expect((await send(a, ch.id, 'next')).message.seq).toBe(2);
  });

  it('refuses non-members, unknown channels, muted members, and senders past their budget', async () => {
    const [a, b, stranger] = await Promise.all([h.member(), h.member(), h.member()]);
    const ch = await dm(a, b);
    expect((await refusal(send(stranger, ch.id, 'let me in'))).code).toBe('FORBIDDEN');
    expect(
      (await refusal(h.call(stranger, chatRpc.messageList, { channelId: ch.id, query: {} }))).code,
    ).toBe('FORBIDDEN');
    expect((await refusal(send(a, newId(), 'nowhere'))).code).toBe('NOT_FOUND');
    const burst = await Promise.allSettled(
      Array.from({ length: 32 }, () => send(b, ch.id, 'spam')),
    );
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
    expect((await refusal(send(b, ch.id, 'more'))).code).toBe('RATE_LIMITED');
  });
});

describe('senders remembered between sends', () => {
  it('refuses a sender who left or was erased after their last send', async () => {
    const [a, b, c] = await Promise.all([h.member(), h.member(), h.member()]);
    const ch = await dm(a, b, c);
    // Each sends first, so the next send finds their membership remembered.
    for (const m of [a, b, c]) await send(m, ch.id, `first from ${m.id}`);
    await h.call(b, chatRpc.channelLeave, { channelId: ch.id });
    expect((await refusal(send(b, ch.id, 'after leaving'))).code).toBe('FORBIDDEN');
    await h.spacesEvent(identityEvents.memberDeleted, a.id, { memberId: a.id });
    await eventually(async () => {
      expect(await h.rpc.call(chatRpc.channelAccess, { memberId: a.id, channelId: ch.id })).toEqual(
        { allowed: false },
      );
    });
    expect((await refusal(send(a, ch.id, 'after erasure'))).code).toBe('FORBIDDEN');
    // The one still there sends at once; the refused sends took nothing from the sequence.
    expect((await send(c, ch.id, 'still here')).message.seq).toBe(4);
  });

  it('refuses a remembered sender muted or removed in a space, and their retry of an earlier send', async () => {
    const spaceId = newId();
    const [lead, author] = await Promise.all([h.member(), h.member()]);
    for (const [m, role] of [
      [lead, 'lead'],
      [author, 'co-author'],
    ] as const)
      await h.spacesEvent(spacesEvents.membershipAdded, spaceId, {
        spaceId,
        kind: 'proposal',
        memberId: m.id,
        role,
      });
    await eventually(async () => {
      expect((await h.call(author, chatRpc.channelGet, { channelId: spaceId })).kind).toBe('space');
    });
    await send(author, spaceId, 'hello', 'sent-before-removal');
    const mute = (minutes: number) =>
      h.call(lead, chatRpc.memberMute, { channelId: spaceId, memberId: author.id, minutes });
    await mute(5);
    expect((await refusal(send(author, spaceId, 'while muted'))).code).toBe('FORBIDDEN');
    // A retry of what they sent before the mute is still answered with that message.
    expect((await send(author, spaceId, 'hello', 'sent-before-removal')).created).toBe(false);
    await mute(0);
    expect((await send(author, spaceId, 'unmuted')).message.seq).toBe(2);

    await h.spacesEvent(spacesEvents.membershipRemoved, spaceId, { spaceId, memberId: author.id });
    await eventually(async () => {
      expect(
        await h.rpc.call(chatRpc.channelAccess, { memberId: author.id, channelId: spaceId }),
      ).toEqual({ allowed: false });
    });
    // A retry reserves nothing, so the remembered membership is read again before it answers.
    expect((await refusal(send(author, spaceId, 'hello', 'sent-before-removal'))).code).toBe(
      'FORBIDDEN',
    );
    expect((await refusal(send(author, spaceId, 'still here?'))).code).toBe('FORBIDDEN');
    expect((await send(lead, spaceId, 'next')).message.seq).toBe(3);
  });
});

describe('history, reading and search', () => {
  it('pages after (ascending), before (descending), around a seq, with hasMore', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    for (let i = 1; i <= 12; i += 1) await send(i % 2 ? a : b, ch.id, `message ${i}`);
    const list = (query: Record<string, number>) =>
      h.call(a, chatRpc.messageList, { channelId: ch.id, query });
    const after = await list({ after: 3, limit: 5 });
    expect(after.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(after.hasMore).toBe(true);
    expect((await list({ after: 10, limit: 5 })).hasMore).toBe(false);
    const newest = await list({ limit: 3 });
    expect(newest.messages.map((m) => m.seq)).toEqual([12, 11, 10]);
    expect((await list({ before: 3, limit: 5 })).messages.map((m) => m.seq)).toEqual([2, 1]);
    const around = await list({ around: 6, limit: 2 });
    expect(around.messages.map((m) => m.seq)).toEqual([5, 6, 7, 8]);
    expect(around.hasMore).toBe(true);
  });

  it('keeps read positions and unread counts, forward only', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    for (let i = 0; i < 4; i += 1) await send(a, ch.id, `hi ${i}`);
    const mine = (who: TestMember) =>
      h.call(who, chatRpc.channelList, {}).then((r) => r.channels.find((c) => c.id === ch.id));
    // The sender's own read position is written in a gathered write after the answer; what shows
    // it (the list, the channel) waits for that write, so asked at once it is already there.
    expect(await mine(a)).toMatchObject({ readSeq: 4, unread: 0 });
    await send(a, ch.id, 'hi 4');
    expect(await h.call(a, chatRpc.channelGet, { channelId: ch.id })).toMatchObject({
      readSeq: 5,
      unread: 0,
    });
    expect(await mine(b)).toMatchObject({ lastSeq: 5, readSeq: 0, unread: 5 });
    expect(await h.call(b, chatRpc.readSet, { channelId: ch.id, seq: 3 })).toEqual({
      channelId: ch.id,
      readSeq: 3,
    });
    expect((await h.call(b, chatRpc.readSet, { channelId: ch.id, seq: 1 })).readSeq).toBe(3);
    expect((await h.call(b, chatRpc.readSet, { channelId: ch.id, seq: 99 })).readSeq).toBe(5);
    expect(await mine(b)).toMatchObject({ unread: 0 });
  });

  it('finds messages by word prefixes, accents ignored', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    await send(a, ch.id, 'La réunion de **coopérative** est demain');
    await send(b, ch.id, 'Cooking workshop tomorrow');
    await send(a, ch.id, 'nothing here');
    const search = (q: string) =>
      h
        .call(a, chatRpc.messageSearch, { channelId: ch.id, query: { q } })
        .then((r) => r.messages.map((m) => m.seq));
    expect(await search('coop reun')).toEqual([1]);
    expect(await search('coo')).toEqual([2, 1]);
    expect(await search('zzz')).toEqual([]);
  });
});

describe('changing messages', () => {
  it('lets the author edit and delete, nobody else but moderators; a deleted message keeps its seq', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const { message } = await send(a, ch.id, 'typo');
    const edited = await h.call(a, chatRpc.messageEdit, {
      channelId: ch.id,
      messageId: message.id,
      body: '_fixed_',
    });
    expect(edited).toMatchObject({ body: '_fixed_', html: '<p><em>fixed</em></p>', seq: 1 });
    expect(edited.editedAt).not.toBeNull();
    expect(
      (
        await refusal(
          h.call(b, chatRpc.messageEdit, {
            channelId: ch.id,
            messageId: message.id,
            body: 'mine now',
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (await refusal(h.call(b, chatRpc.messageDelete, { channelId: ch.id, messageId: message.id })))
        .code,
    ).toBe('FORBIDDEN');
    const admin = await h.member('admin');
    expect(
      (
        await refusal(
          h.call(admin, chatRpc.messageDelete, { channelId: ch.id, messageId: message.id }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    await h.call(a, chatRpc.messageDelete, { channelId: ch.id, messageId: message.id });
    const [stored] = await history(a, ch.id);
    expect(stored).toMatchObject({ seq: 1, deleted: true, body: '', html: '' });
    const raw = await h.db.collection('messages').findOne({ _id: new ObjectId(message.id) });
    expect(raw?.body).toBe('');
  });

  it('counts reactions once per member and emoji, idempotently', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const { message } = await send(a, ch.id, 'vote');
    const react = (who: TestMember, emoji: string, on: boolean) =>
      h.call(who, chatRpc.reactionSet, { channelId: ch.id, messageId: message.id, emoji, on });
    await Promise.all([
      react(a, '👍', true),
      react(b, '👍', true),
      react(b, '👍', true),
      react(b, '🎉', true),
    ]);
    const both = await react(a, '👍', true);
    expect(both.reactions.map((r) => [r.emoji, r.count])).toEqual([
      ['👍', 2],
      ['🎉', 1],
    ]);
    await react(b, '🎉', false);
    const after = await react(b, '🎉', false);
    expect(after.reactions.map((r) => [r.emoji, r.count])).toEqual([['👍', 2]]);
    expect((await refusal(react(a, 'abc', true))).code).toBe('VALIDATION_FAILED');
  });

  it('enters the stream only for a message that notifies (a mention, a thread reply)', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const { message: plain } = await send(a, ch.id, 'just words');
    const { message: mention } = await send(a, ch.id, `hi [B](mention:${b.id})`);
    const { message: reply } = await h.call(b, chatRpc.messageSend, {
      channelId: ch.id,
      body: 'answer',
      clientMessageId: cid(),
      threadOf: plain.id,
    });
    const posted = async () => {
      const info = await h.bus.jsm.streams.info('AGORA_CHAT');
      const ids: string[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
        const msg = await h.bus.jsm.streams.getMessage('AGORA_CHAT', { seq }).catch(() => null);
        const env = msg?.json<{ type: string; data: { channelId?: string; messageId?: string } }>();
        if (env?.type === 'chat.message.posted' && env.data.channelId === ch.id)
          ids.push(env.data.messageId ?? '');
      }
      return ids.sort();
    };
    await eventually(async () => {
      expect(await posted()).toEqual([mention.id, reply.id].sort());
    });
    expect(await posted()).not.toContain(plain.id);
  });

  it('keeps mentions of members only, and threads one level deep', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const outsider = newId();
    const ch = await dm(a, b);
    const { message: root } = await send(
      a,
      ch.id,
      `hey [B](mention:${b.id}) and [X](mention:${outsider})`,
    );
    expect(root.mentionIds).toEqual([b.id]);
    const reply = await h.call(b, chatRpc.messageSend, {
      channelId: ch.id,
      body: 'answer',
      clientMessageId: cid(),
      threadOf: root.id,
    });
    const nested = await h.call(a, chatRpc.messageSend, {
      channelId: ch.id,
      body: 'nested',
      clientMessageId: cid(),
      threadOf: reply.message.id,
    });
    expect(nested.message.threadOf).toBe(root.id);
    const thread = await h.call(a, chatRpc.messageList, {
      channelId: ch.id,
      threadOf: root.id,
      query: { after: 0 },
    });
    expect(thread.messages.map((m) => m.body)).toEqual(['answer', 'nested']);
    const [rootNow] = await history(a, ch.id);
    expect(rootNow?.replyCount).toBe(2);
  });
});

describe('space channels follow spaces memberships', () => {
  it('adds members with the space, moderators by role, removes them with a removal event', async () => {
    const spaceId = newId();
    const [lead, author, outsider] = await Promise.all([h.member(), h.member(), h.member()]);
    await h.spacesEvent(spacesEvents.membershipAdded, spaceId, {
      spaceId,
      kind: 'proposal',
      memberId: lead.id,
      role: 'lead',
    });
    await h.spacesEvent(spacesEvents.membershipAdded, spaceId, {
      spaceId,
      kind: 'proposal',
      memberId: author.id,
      role: 'co-author',
    });
    await eventually(async () => {
      expect((await h.call(author, chatRpc.channelGet, { channelId: spaceId })).kind).toBe('space');
    });
    expect((await h.call(lead, chatRpc.channelGet, { channelId: spaceId })).moderator).toBe(true);
    expect((await h.call(author, chatRpc.channelGet, { channelId: spaceId })).moderator).toBe(
      false,
    );
    expect((await refusal(h.call(outsider, chatRpc.channelGet, { channelId: spaceId }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await refusal(h.call(author, chatRpc.channelLeave, { channelId: spaceId }))).code).toBe(
      'INVALID_STATE',
    );

    const { message } = await send(author, spaceId, 'rude words');
    const hidden = await h.call(lead, chatRpc.messageHide, {
      channelId: spaceId,
      messageId: message.id,
      reason: 'be kind',
    });
    expect(hidden).toMatchObject({ hiddenReason: 'be kind', body: '', html: '' });
    expect(
      await h.call(lead, chatRpc.memberMute, {
        channelId: spaceId,
        memberId: author.id,
        minutes: 10,
      }),
    ).toEqual({
      mutedUntil: expect.any(String) as string,
    });
    expect((await refusal(send(author, spaceId, 'again'))).code).toBe('FORBIDDEN');
    expect(
      (
        await refusal(
          h.call(author, chatRpc.memberMute, {
            channelId: spaceId,
            memberId: lead.id,
            minutes: 10,
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');

    await h.spacesEvent(spacesEvents.membershipRemoved, spaceId, { spaceId, memberId: author.id });
    await eventually(async () => {
      expect(
        await h.rpc.call(chatRpc.channelAccess, { memberId: author.id, channelId: spaceId }),
      ).toEqual({
        allowed: false,
      });
    });
    await eventually(async () => {
      const info = await h.bus.jsm.streams.info('AGORA_CHAT');
      const subjects = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
        const msg = await h.bus.jsm.streams.getMessage('AGORA_CHAT', { seq }).catch(() => null);
        const env = msg?.json<{ type: string; data: { memberId?: string } }>();
        if (env?.type === 'chat.channel-member.removed' && env.data.memberId === author.id)
          subjects.push(env);
      }
      expect(subjects).toHaveLength(1);
    });
  });
});

describe('erasure of a deleted account', () => {
  it("empties its messages (seqs kept), takes its name out of others' mentions, and its channels", async () => {
    const [gone, stays] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(gone, stays);
    await send(gone, ch.id, 'my secret words');
    await send(stays, ch.id, `thanks [Zoë Gone](mention:${gone.id})!`);
    await h.spacesEvent(identityEvents.memberDeleted, gone.id, { memberId: gone.id });
    await eventually(async () => {
      const stored = await history(stays, ch.id);
      expect(stored.map((m) => [m.seq, m.body, m.deleted])).toEqual([
        [1, '', true],
        [2, 'thanks @…!', false],
      ]);
      expect(stored[1]?.mentionIds).toEqual([]);
    });
    const raw = await h.db
      .collection('messages')
      .find({ channelId: new ObjectId(ch.id) })
      .toArray();
    expect(JSON.stringify(raw)).not.toMatch(/secret|Zoë/);
    expect(
      await h.rpc.call(chatRpc.channelAccess, { memberId: gone.id, channelId: ch.id }),
    ).toEqual({
      allowed: false,
    });
  });
});

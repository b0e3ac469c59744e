// Notifications through the REAL gateway, identity, spaces and chat: a mention (a real DM message)
// and a proposal decision (spaces' event as spaces writes it) reach the member's socket at once;
// a redelivered source event never notifies twice; repeats collapse; preferences mute; a session
// starting soon reminds its members once; the daily digest is mailed once, never empty.
import {
  sessionEvents,
  spacesEvents,
  workshopEvents,
  type NotificationView,
  type ServerToClientEvents,
} from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForumHub, type Account, type Client, type ForumHub } from './forum-fixture.js';

type Created = Parameters<ServerToClientEvents['notification.created']>[0];

let hub: ForumHub;
let admin: Account;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  hub = await startForumHub({
    // every sweep runs often and the digest hour is already past, so the suite sees them work
    CHAT_DIGEST_HOUR_UTC: '0',
    CHAT_DIGEST_INTERVAL_MS: '300',
    CHAT_REMINDER_INTERVAL_MS: '200',
    CHAT_REMINDER_LEAD_MS: '1800000',
  });
  admin = await hub.register({}, hub.adminEmail);
  [alice, bob] = await Promise.all([hub.register(), hub.register()]);
});

afterAll(async () => {
  await hub?.stop();
});

interface Page {
  notifications: NotificationView[];
  unread: number;
  nextCursor: string | null;
}

const list = async (who: Account, query = '') =>
  hub.json<Page>(await hub.api(`/notifications${query}`, { token: who.accessToken }), 200);

function heard(socket: Client): Created[] {
  const out: Created[] = [];
  socket.on('notification.created', (n) => out.push(n));
  return out;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notifications', () => {
  it('rings the bell live for a mention in a real message, once per message', async () => {
    const socket = await hub.connect(bob.accessToken);
    const bell = heard(socket);
    const dm = await hub.json<{ id: string }>(
      await hub.api('/dms', {
        method: 'POST',
        token: alice.accessToken,
        json: { memberIds: [bob.user.id] },
      }),
      200,
    );
    for (const n of [1, 2])
      await hub.json(
        await hub.api(`/channels/${dm.id}/messages`, {
          method: 'POST',
          token: alice.accessToken,
          json: { body: `hello [Bob](mention:${bob.user.id}) #${n}`, clientMessageId: `m-${n}` },
        }),
        201,
      );
    // two mentions in one channel: one notification that grew to two
    await expect
      .poll(() => bell.at(-1), { timeout: 10_000 })
      .toMatchObject({ type: 'mention', count: 2, unread: 1 });
    const page = await list(bob);
    expect(page.unread).toBe(1);
    expect(page.notifications[0]).toMatchObject({
      type: 'mention',
      count: 2,
      read: false,
      actorIds: [alice.user.id],
      target: { channelId: dm.id },
    });
    // nobody is told of their own message
    expect((await list(alice)).notifications.filter((n) => n.type === 'mention')).toEqual([]);
  });

  it('tells a proposal’s team its decision live, and a redelivered decision changes nothing', async () => {
    const socket = await hub.connect(alice.accessToken);
    const bell = heard(socket);
    const proposalId = 'a1'.repeat(12);
    const callId = 'c1'.repeat(12);
    await hub.publish(
      spacesEvents.membershipAdded,
      proposalId,
      { spaceId: proposalId, kind: 'proposal', memberId: alice.user.id, role: 'lead' },
      { actor: admin.user.id },
    );
    // added by someone else: told so, and the team is known before the decision comes
    await expect
      .poll(() => bell.find((n) => n.type === 'space-added'), { timeout: 10_000 })
      .toBeDefined();
    const data = { proposalId, callId, status: 'funded' as const, outcome: 'funded' as const };
    const eventId = await hub.publish(spacesEvents.proposalDecided, proposalId, data, {
      actor: admin.user.id,
    });
    await expect
      .poll(() => bell.find((n) => n.type === 'proposal-decided'), { timeout: 10_000 })
      .toMatchObject({ count: 1, unread: 2 }); // with the space-added one
    // the same event delivered again (a consumer's redelivery carries the same envelope id)
    await hub.publish(spacesEvents.proposalDecided, proposalId, data, {
      actor: admin.user.id,
      id: eventId,
    });
    await settle(1_500);
    const decided = (await list(alice)).notifications.filter((n) => n.type === 'proposal-decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({
      count: 1,
      target: { spaceId: proposalId, outcome: 'funded' },
    });
    expect(bell.filter((n) => n.type === 'proposal-decided')).toHaveLength(1);
  });

  it('collapses replies on one post, marks read (other tabs hear it) and honours muted types', async () => {
    const tab = await hub.connect(alice.accessToken);
    const reads: number[] = [];
    tab.on('notification.read', (r) => reads.push(r.unread));
    const post = await hub.json<{ id: string }>(
      await hub.api('/posts', {
        method: 'POST',
        token: alice.accessToken,
        json: { body: 'Ideas?' },
      }),
      201,
    );
    for (const body of ['One', 'Two', 'Three'])
      await hub.json(
        await hub.api(`/posts/${post.id}/comments`, {
          method: 'POST',
          token: bob.accessToken,
          json: { body },
        }),
        201,
      );
    await expect
      .poll(
        async () => (await list(alice)).notifications.find((n) => n.type === 'forum-reply')?.count,
        { timeout: 10_000 },
      )
      .toBe(3);
    const all = await hub.json<{ unread: number }>(
      await hub.api('/notifications/read', {
        method: 'POST',
        token: alice.accessToken,
        json: { all: true },
      }),
      200,
    );
    expect(all.unread).toBe(0);
    await expect.poll(() => reads, { timeout: 10_000 }).toContain(0);
    // someone else's notification ids change nothing of theirs
    const bobs = (await list(bob)).notifications.map((n) => n.id);
    await hub.json(
      await hub.api('/notifications/read', {
        method: 'POST',
        token: alice.accessToken,
        json: { ids: bobs },
      }),
      200,
    );
    expect((await list(bob)).unread).toBeGreaterThan(0);
    await hub.refused(
      await hub.api('/notifications/read', { method: 'POST', token: alice.accessToken, json: {} }),
      400,
      'VALIDATION_FAILED',
    );

    const prefs = await hub.json<{ types: Record<string, boolean>; digest: boolean }>(
      await hub.api('/notifications/preferences', { token: alice.accessToken }),
      200,
    );
    expect(prefs).toMatchObject({ digest: false, types: { 'forum-reply': true } });
    await hub.json(
      await hub.api('/notifications/preferences', {
        method: 'PUT',
        token: alice.accessToken,
        json: { ...prefs, types: { ...prefs.types, 'forum-reply': false } },
      }),
      200,
    );
    await hub.json(
      await hub.api(`/posts/${post.id}/comments`, {
        method: 'POST',
        token: bob.accessToken,
        json: { body: 'Four' },
      }),
      201,
    );
    await settle(1_500);
    const reply = (await list(alice)).notifications.find((n) => n.type === 'forum-reply');
    expect(reply).toMatchObject({ count: 3, read: true });
  });

  it('reminds a session’s members once that it starts soon', async () => {
    const sessionId = 'b2'.repeat(12);
    const bell = heard(await hub.connect(bob.accessToken));
    await hub.publish(
      spacesEvents.membershipAdded,
      sessionId,
      { spaceId: sessionId, kind: 'session', memberId: bob.user.id, role: 'participant' },
      { actor: bob.user.id },
    );
    const startsAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const id = await hub.publish(sessionEvents.sessionScheduled, sessionId, {
      sessionId,
      startsAt,
    });
    await expect
      .poll(() => bell.filter((n) => n.type === 'starting-soon'), { timeout: 10_000 })
      .toHaveLength(1);
    await hub.publish(sessionEvents.sessionScheduled, sessionId, { sessionId, startsAt }, { id });
    await settle(1_500);
    const soon = (await list(bob)).notifications.filter((n) => n.type === 'starting-soon');
    expect(soon).toHaveLength(1);
    expect(soon[0]).toMatchObject({ count: 1, target: { spaceId: sessionId, startsAt } });
  });

  it('tells a member promoted from a waiting list by bell and by one mail in their language, even when the event comes again', async () => {
    const waiting = await hub.register({ preferredLanguage: 'es' });
    const socket = await hub.connect(waiting.accessToken);
    const bell = heard(socket);
    const workshopId = 'b2'.repeat(12);
    const data = { workshopId, memberId: waiting.user.id };
    const id = await hub.publish(workshopEvents.registrationPromoted, workshopId, data, {
      actor: admin.user.id,
    });
    await expect
      .poll(() => bell.find((n) => n.type === 'waitlist-promoted'), { timeout: 10_000 })
      .toBeDefined();
    const theirs = async () =>
      (
        await hub.json<{ items: { to: string; subject: string; text: string }[] }>(
          await hub.api('/admin/mailbox?limit=100', { token: admin.accessToken }),
          200,
        )
      ).items.filter((m) => m.to === waiting.email);
    await expect.poll(theirs, { timeout: 15_000 }).toHaveLength(1);
    const [mail] = await theirs();
    expect(mail?.subject).toContain('taller');
    expect(mail?.text).toContain(`/workshops/${workshopId}`);
    // redelivered: neither a second notification nor a second mail
    await hub.publish(workshopEvents.registrationPromoted, workshopId, data, {
      actor: admin.user.id,
      id,
    });
    await settle(1_500);
    expect(await theirs()).toHaveLength(1);
    expect(bell.filter((n) => n.type === 'waitlist-promoted')).toHaveLength(1);
  });

  it('mails the opt-in digest once a day in the member’s language, and never an empty one', async () => {
    const quiet = await hub.register({ preferredLanguage: 'ar' });
    for (const who of [bob, quiet]) {
      const prefs = await hub.json<{ types: Record<string, boolean> }>(
        await hub.api('/notifications/preferences', { token: who.accessToken }),
        200,
      );
      await hub.json(
        await hub.api('/notifications/preferences', {
          method: 'PUT',
          token: who.accessToken,
          json: { types: prefs.types, digest: true },
        }),
        200,
      );
    }
    interface Mail {
      to: string;
      subject: string;
      text: string;
    }
    const mailbox = async () =>
      (
        await hub.json<{ items: Mail[] }>(
          await hub.api('/admin/mailbox?limit=100', { token: admin.accessToken }),
          200,
        )
      ).items;
    await expect
      .poll(async () => (await mailbox()).filter((m) => m.to === bob.email), { timeout: 15_000 })
      .toHaveLength(1);
    // several sweeps later: still one for bob, none for the member with nothing unread
    await settle(2_000);
    const mails = await mailbox();
    const bobs = mails.filter((m) => m.to === bob.email);
    expect(bobs).toHaveLength(1);
    expect(bobs[0]?.subject).toContain('Agora');
    expect(bobs[0]?.text).toContain('Bonjour'); // bob registered in French
    expect(mails.filter((m) => m.to === quiet.email)).toEqual([]);
  });
});

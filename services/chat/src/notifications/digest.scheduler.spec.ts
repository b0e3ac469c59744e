import { identityDigestRpc } from '@agora/proto';
import type { Subscription } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../common/object-id.js';
import { startChatHarness, type ChatHarness } from '../testing/chat-harness.js';
import { DigestScheduler, utcDay } from './digest.scheduler.js';
import { NotificationRepository } from './notification.repository.js';
import { target } from './notifier.service.js';
import { PreferencesRepository } from './preferences.repository.js';

let h: ChatHarness;
let digests: DigestScheduler;
let identity: Subscription;
/** What the stand-in for identity's mailer was asked (it answers like identity's dev mailbox). */
const asked: { memberId: string; day: string; counts: Record<string, number> }[] = [];

beforeAll(async () => {
  // The sweep itself is driven by the spec (the interval is long).
  h = await startChatHarness({ CHAT_DIGEST_HOUR_UTC: '0', CHAT_DIGEST_INTERVAL_MS: '86400000' });
  digests = h.service.app.get(DigestScheduler);
  const nc = await h.bus.ready();
  identity = nc.subscribe(identityDigestRpc.digestSend.subject, {
    callback: (_err, msg) => {
      const req = msg.json<{ id: string; data: (typeof asked)[number] }>();
      asked.push(req.data);
      msg.respond(JSON.stringify({ id: req.id, response: { outcome: 'kept' }, isDisposed: true }));
    },
  });
}, 60_000);

afterAll(async () => {
  identity?.unsubscribe();
  await h?.stop();
}, 60_000);

async function optIn(memberId: string): Promise<void> {
  await h.service.app
    .get(PreferencesRepository)
    .set(memberId, { muted: [], digest: true }, new Date());
}

describe('DigestScheduler', { timeout: 60_000 }, () => {
  it('mails a member with unread news once a day, and one with nothing never', async () => {
    const busy = newId();
    const quiet = newId();
    await optIn(busy);
    await optIn(quiet);
    const notifications = h.service.app.get(NotificationRepository);
    for (const [i, type] of (['mention', 'mention', 'proposal-decided'] as const).entries())
      await notifications.raise(
        {
          memberId: busy,
          type,
          key: `${type}:${i}`,
          target: target({}),
          actorId: null,
          sourceId: `s${i}`,
        },
        h.clock.now(),
      );
    expect(await digests.digestOf(quiet)).toBe('empty');
    expect(await digests.digestOf(busy)).toBe('sent');
    expect(asked).toEqual([
      { memberId: busy, day: utcDay(h.clock.now()), counts: { mention: 2, 'proposal-decided': 1 } },
    ]);
    // a second sweep the same day, by this replica or another: nothing more
    expect(await digests.digestOf(busy)).toBe('already');
    const sweep = await digests.sweep();
    expect(sweep.get(busy)).toBe('already');
    expect(sweep.get(quiet)).toBe('empty');
    expect(asked).toHaveLength(1);

    // the next day: only what was raised since the last digest counts, so nothing new, no mail
    h.clock.advance(86_400_000);
    expect(await digests.digestOf(busy)).toBe('empty');
    expect(asked).toHaveLength(1);
  });
});

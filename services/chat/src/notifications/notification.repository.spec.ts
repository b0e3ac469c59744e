import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../common/object-id.js';
import { startChatHarness, type ChatHarness } from '../testing/chat-harness.js';
import { NotificationRepository, type Raise } from './notification.repository.js';
import { target } from './notifier.service.js';

let h: ChatHarness;
let repo: NotificationRepository;

beforeAll(async () => {
  h = await startChatHarness();
  repo = h.service.app.get(NotificationRepository);
}, 60_000);

afterAll(async () => {
  await h?.stop();
}, 60_000);

function raise(memberId: string, key: string, sourceId: string, actorId = newId()): Raise {
  return {
    memberId,
    type: 'forum-reply',
    key,
    target: target({ postId: newId() }),
    actorId,
    sourceId,
  };
}

describe('NotificationRepository.raise', { timeout: 60_000 }, () => {
  it('collapses repeats on one key and counts each source once, however often it comes', async () => {
    const member = newId();
    const key = `forum-reply:post:${newId()}`;
    const first = await repo.raise(raise(member, key, 'e1'), new Date());
    expect(first).toMatchObject({ count: 1, read: false });
    expect(await repo.raise(raise(member, key, 'e1'), new Date())).toBeNull();
    const grown = await repo.raise(raise(member, key, 'e2'), new Date());
    expect(grown).toMatchObject({ count: 2 });
    expect(await repo.raise(raise(member, key, 'e2'), new Date())).toBeNull();
    expect(await repo.unreadCount(member)).toBe(1);
  });

  it('counts concurrent sources on one key exactly (optimistic writes retry)', async () => {
    const member = newId();
    const key = `forum-reply:post:${newId()}`;
    const sources = Array.from({ length: 12 }, (_, i) => `c${i}`);
    await Promise.all(
      [...sources, ...sources].map((s) => repo.raise(raise(member, key, s), new Date())),
    );
    const [doc] = await repo.page({ memberId: member, unreadOnly: false, limit: 5 });
    expect(doc?.count).toBe(sources.length);
  });

  it('starts counting again from one once read, and marks read only the member’s own', async () => {
    const member = newId();
    const other = newId();
    const key = `forum-reply:post:${newId()}`;
    const doc = await repo.raise(raise(member, key, 'r1'), new Date());
    const theirs = await repo.raise(raise(other, key, 'r1'), new Date());
    await repo.raise(raise(member, key, 'r2'), new Date());
    // another's id changes nothing of theirs
    expect(await repo.markRead(member, [theirs?._id.toHexString() ?? ''])).toBe(0);
    expect(await repo.markRead(member, [doc?._id.toHexString() ?? ''])).toBe(1);
    expect(await repo.unreadCount(member)).toBe(0);
    expect(await repo.unreadCount(other)).toBe(1);
    expect(await repo.raise(raise(member, key, 'r3'), new Date())).toMatchObject({
      count: 1,
      read: false,
    });
  });
});

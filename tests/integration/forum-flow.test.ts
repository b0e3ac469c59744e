// The community forum through the REAL gateway, identity, spaces and chat: posts in the main feed
// and a private community's, comments and replies, likes idempotent both ways and never on one's
// own content, the events chat writes into AGORA_CHAT exactly as shared-names.md fixes them, the
// like count reaching another member's socket, cursor pages and tags, deletion rights.
import { streams, type Envelope } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { password, startForumHub, type Account, type ForumHub } from './forum-fixture.js';

let hub: ForumHub;
let author: Account;
let reader: Account;
let admin: Account;

beforeAll(async () => {
  hub = await startForumHub();
  admin = await hub.register({}, hub.adminEmail);
  [author, reader] = await Promise.all([hub.register(), hub.register()]);
});

afterAll(async () => {
  await hub?.stop();
});

interface Post {
  id: string;
  likes: number;
  likedByMe: boolean;
  commentCount: number;
  html: string;
  canDelete: boolean;
}
interface Like {
  liked: boolean;
  likes: number;
}

const post = (token: string, json: unknown) => hub.api('/posts', { method: 'POST', token, json });
const like = (token: string, path: string, method: 'PUT' | 'DELETE') =>
  hub.api(`${path}/like`, { method, token });

/** The AGORA_CHAT events of the forum about one post (its own and its comments' and likes'). */
async function forumEventsOf(ids: readonly string[]): Promise<Envelope[]> {
  const all = await hub.streamEvents(streams.chat.name, 'chat.');
  return all.filter(
    (e) =>
      !e.type.startsWith('chat.like-count') &&
      ids.includes(e.subject) &&
      e.type !== 'chat.message.posted',
  );
}

describe('the forum through the gateway', () => {
  it('likes are idempotent both ways, never on one’s own content, and emit exactly the declared events', async () => {
    const watcher = await hub.connect(admin.accessToken);
    const liveLikes: unknown[] = [];
    watcher.on('post.liked', (p) => liveLikes.push(p));

    const p = await hub.json<Post>(
      await post(author.accessToken, {
        title: 'A mistake to learn from',
        body: 'We **forgot** the co-production step <script>alert(1)</script>',
        tags: ['mistake-to-learn-from', 'question'],
      }),
      201,
    );
    expect(p).toMatchObject({ likes: 0, likedByMe: false, commentCount: 0, canDelete: true });
    expect(p.html).toContain('<strong>forgot</strong>');
    expect(p.html).not.toContain('<script');

    // never one's own: a clear 403, nothing emitted
    await hub.refused(await like(author.accessToken, `/posts/${p.id}`, 'PUT'), 403, 'FORBIDDEN');
    // PUT twice: one like, one event
    for (let i = 0; i < 2; i++) {
      const l = await hub.json<Like>(await like(reader.accessToken, `/posts/${p.id}`, 'PUT'), 200);
      expect(l).toMatchObject({ liked: true, likes: 1 });
    }
    await expect
      .poll(() => liveLikes, { timeout: 10_000 })
      .toContainEqual({
        targetType: 'post',
        targetId: p.id,
        postId: p.id,
        likes: 1,
      });
    const seen = await hub.json<Post>(
      await hub.api(`/posts/${p.id}`, { token: reader.accessToken }),
      200,
    );
    expect(seen).toMatchObject({ post: { likes: 1, likedByMe: true } });
    // DELETE twice: one withdrawal
    for (let i = 0; i < 2; i++) {
      const l = await hub.json<Like>(
        await like(reader.accessToken, `/posts/${p.id}`, 'DELETE'),
        200,
      );
      expect(l).toMatchObject({ liked: false, likes: 0 });
    }

    const c = await hub.json<{ id: string; replyTo: string | null }>(
      await hub.api(`/posts/${p.id}/comments`, {
        method: 'POST',
        token: reader.accessToken,
        json: { body: 'What did you change?' },
      }),
      201,
    );
    const r = await hub.json<{ id: string; replyTo: string | null }>(
      await hub.api(`/posts/${p.id}/comments`, {
        method: 'POST',
        token: author.accessToken,
        json: { body: 'We added a listening round', replyTo: c.id },
      }),
      201,
    );
    expect(r.replyTo).toBe(c.id);
    await hub.refused(
      await hub.api(`/posts/${p.id}/comments`, {
        method: 'POST',
        token: author.accessToken,
        json: { body: 'x', replyTo: 'f'.repeat(24) },
      }),
      404,
      'NOT_FOUND',
    );
    await hub.refused(await like(reader.accessToken, `/comments/${c.id}`, 'PUT'), 403, 'FORBIDDEN');
    await hub.json(await like(author.accessToken, `/comments/${c.id}`, 'PUT'), 200);
    await hub.json(await like(author.accessToken, `/comments/${c.id}`, 'PUT'), 200);
    await hub.json(await like(author.accessToken, `/comments/${c.id}`, 'DELETE'), 200);

    // the reader may delete neither the post nor the author's reply; each deletes their own
    await hub.refused(
      await hub.api(`/posts/${p.id}`, { method: 'DELETE', token: reader.accessToken }),
      403,
      'FORBIDDEN',
    );
    await hub.refused(
      await hub.api(`/comments/${r.id}`, { method: 'DELETE', token: reader.accessToken }),
      403,
      'FORBIDDEN',
    );
    await hub.json(
      await hub.api(`/comments/${r.id}`, { method: 'DELETE', token: author.accessToken }),
      204,
    );
    await hub.json(
      await hub.api(`/comments/${c.id}`, { method: 'DELETE', token: reader.accessToken }),
      204,
    );
    await hub.json(
      await hub.api(`/posts/${p.id}`, { method: 'DELETE', token: author.accessToken }),
      204,
    );
    await hub.refused(
      await hub.api(`/posts/${p.id}`, { token: reader.accessToken }),
      404,
      'NOT_FOUND',
    );

    const expected = [
      [
        'chat.post.published',
        p.id,
        {
          postId: p.id,
          authorId: author.user.id,
          spaceId: null,
          tags: ['mistake-to-learn-from', 'question'],
        },
      ],
      [
        'chat.like.given',
        p.id,
        { targetType: 'post', targetId: p.id, likerId: reader.user.id, authorId: author.user.id },
      ],
      [
        'chat.like.withdrawn',
        p.id,
        { targetType: 'post', targetId: p.id, likerId: reader.user.id, authorId: author.user.id },
      ],
      ['chat.comment.written', c.id, { commentId: c.id, postId: p.id, authorId: reader.user.id }],
      [
        'chat.reply.posted',
        r.id,
        { commentId: r.id, postId: p.id, authorId: author.user.id, replyTo: c.id },
      ],
      [
        'chat.like.given',
        c.id,
        {
          targetType: 'comment',
          targetId: c.id,
          likerId: author.user.id,
          authorId: reader.user.id,
        },
      ],
      [
        'chat.like.withdrawn',
        c.id,
        {
          targetType: 'comment',
          targetId: c.id,
          likerId: author.user.id,
          authorId: reader.user.id,
        },
      ],
      [
        'chat.reply.deleted',
        r.id,
        { commentId: r.id, postId: p.id, authorId: author.user.id, replyTo: c.id },
      ],
      ['chat.comment.deleted', c.id, { commentId: c.id, postId: p.id, authorId: reader.user.id }],
      ['chat.post.deleted', p.id, { postId: p.id, authorId: author.user.id }],
    ];
    await expect
      .poll(async () => (await forumEventsOf([p.id, c.id, r.id])).length, { timeout: 10_000 })
      .toBe(expected.length);
    // Each state change carries its event in its own document's outbox: per document in order,
    // across documents in any order. Every one exactly once, with the acting member as its actor.
    const actors = [author, reader, reader, reader, author, author, author, author, reader, author];
    const key = (x: unknown[]) => JSON.stringify(x);
    const events = await forumEventsOf([p.id, c.id, r.id]);
    expect(events.map((e) => key([e.type, e.subject, e.data, e.actor])).sort()).toEqual(
      expected.map((x, i) => key([...x, actors[i]?.user.id])).sort(),
    );
  });

  it('keeps a private community’s feed to its members', async () => {
    const community = await hub.json<{ id: string }>(
      await hub.api('/communities', {
        method: 'POST',
        token: author.accessToken,
        json: { title: 'Sfax women cooperatives', visibility: 'private' },
      }),
      201,
    );
    const inside = await hub.json<Post>(
      await post(author.accessToken, {
        body: 'Members only',
        spaceId: community.id,
        tags: ['news'],
      }),
      201,
    );
    await hub.refused(
      await post(reader.accessToken, { body: 'Let me in', spaceId: community.id }),
      403,
      'FORBIDDEN',
    );
    await hub.refused(
      await hub.api(`/posts?spaceId=${community.id}`, { token: reader.accessToken }),
      403,
      'FORBIDDEN',
    );
    await hub.refused(
      await hub.api(`/posts/${inside.id}`, { token: reader.accessToken }),
      404,
      'NOT_FOUND',
    );
    await hub.refused(
      await like(reader.accessToken, `/posts/${inside.id}`, 'PUT'),
      404,
      'NOT_FOUND',
    );
    await hub.refused(
      await hub.api(`/posts/${inside.id}/comments`, {
        method: 'POST',
        token: reader.accessToken,
        json: { body: 'hello?' },
      }),
      404,
      'NOT_FOUND',
    );
    const feed = await hub.json<{ posts: Post[] }>(
      await hub.api(`/posts?spaceId=${community.id}`, { token: author.accessToken }),
      200,
    );
    expect(feed.posts.map((x) => x.id)).toEqual([inside.id]);
    // the space's post stays out of the main feed
    const main = await hub.json<{ posts: Post[] }>(
      await hub.api('/posts', { token: reader.accessToken }),
      200,
    );
    expect(main.posts.map((x) => x.id)).not.toContain(inside.id);
    // an admin moderates every feed
    await hub.json(
      await hub.api(`/posts/${inside.id}`, { method: 'DELETE', token: admin.accessToken }),
      204,
    );
  });

  it('pages the main feed newest first with a cursor and filters by tag; refuses bad input', async () => {
    const ids: string[] = [];
    for (const tags of [['job-offer'], ['event'], ['job-offer', 'news']]) {
      const p = await hub.json<Post>(
        await post(reader.accessToken, { body: `#${ids.length}`, tags }),
        201,
      );
      ids.push(p.id);
    }
    const first = await hub.json<{ posts: Post[]; nextCursor: string | null }>(
      await hub.api('/posts?limit=2', { token: author.accessToken }),
      200,
    );
    expect(first.posts.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toBe(ids[1]);
    const second = await hub.json<{ posts: Post[] }>(
      await hub.api(`/posts?limit=2&before=${first.nextCursor}`, { token: author.accessToken }),
      200,
    );
    expect(second.posts[0]?.id).toBe(ids[0]);
    const jobs = await hub.json<{ posts: Post[] }>(
      await hub.api('/posts?tag=job-offer', { token: author.accessToken }),
      200,
    );
    expect(jobs.posts.map((p) => p.id)).toEqual([ids[2], ids[0]]);
    await hub.refused(
      await hub.api('/posts?tag=gossip', { token: author.accessToken }),
      400,
      'VALIDATION_FAILED',
    );
    await hub.refused(await post(author.accessToken, { body: '   ' }), 400, 'VALIDATION_FAILED');
    await hub.refused(
      await post(author.accessToken, { body: 'x', tags: ['news', 'news'] }),
      400,
      'VALIDATION_FAILED',
    );
    await hub.refused(
      await hub.api('/posts', { method: 'POST', json: { body: 'x' } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('erases a deleted account’s words from the forum, keeping the conversation’s shape', async () => {
    const leaver = await hub.register();
    const p = await hub.json<Post>(
      await post(leaver.accessToken, { title: 'My address is 12 rue X', body: 'Call me on 0600' }),
      201,
    );
    const c = await hub.json<{ id: string }>(
      await hub.api(`/posts/${p.id}/comments`, {
        method: 'POST',
        token: leaver.accessToken,
        json: { body: 'my phone again: 0600' },
      }),
      201,
    );
    await hub.json(
      await hub.api('/me', { method: 'DELETE', token: leaver.accessToken, json: { password } }),
      204,
    );
    await expect
      .poll(
        async () =>
          await hub.json<{
            post: { title: string | null; body: string };
            comments: { id: string; body: string }[];
          }>(await hub.api(`/posts/${p.id}`, { token: reader.accessToken }), 200),
        { timeout: 15_000 },
      )
      .toMatchObject({ post: { title: null, body: '' }, comments: [{ id: c.id, body: '' }] });
  });
});

import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { spaceIdSchema } from '../spaces/space.js';
import { commentIdSchema, forumTagSchema, likeTargetTypeSchema, postIdSchema } from './forum.js';

const like = z.strictObject({
  targetType: likeTargetTypeSchema,
  targetId: z.string().regex(/^[a-f0-9]{24}$/, 'post or comment id'),
  likerId: memberIdSchema,
  /** Who wrote the liked post or comment (the points game pays likes received to them). */
  authorId: memberIdSchema,
});

/**
 * The forum's domain events (names fixed in shared-names.md: the points game consumes them). Ids
 * only: bodies and titles stay in chat's database, which an erasure can rewrite.
 */
export const forumEvents = {
  postPublished: event(
    'chat',
    'post',
    'published',
    z.strictObject({
      postId: postIdSchema,
      authorId: memberIdSchema,
      spaceId: spaceIdSchema.nullable(),
      tags: z.array(forumTagSchema),
    }),
  ),
  postDeleted: event(
    'chat',
    'post',
    'deleted',
    z.strictObject({ postId: postIdSchema, authorId: memberIdSchema }),
  ),
  /** A comment on a post. */
  commentWritten: event(
    'chat',
    'comment',
    'written',
    z.strictObject({ commentId: commentIdSchema, postId: postIdSchema, authorId: memberIdSchema }),
  ),
  commentDeleted: event(
    'chat',
    'comment',
    'deleted',
    z.strictObject({ commentId: commentIdSchema, postId: postIdSchema, authorId: memberIdSchema }),
  ),
  /** A reply to a comment. */
  replyPosted: event(
    'chat',
    'reply',
    'posted',
    z.strictObject({
      commentId: commentIdSchema,
      postId: postIdSchema,
      authorId: memberIdSchema,
      replyTo: commentIdSchema,
    }),
  ),
  replyDeleted: event(
    'chat',
    'reply',
    'deleted',
    z.strictObject({
      commentId: commentIdSchema,
      postId: postIdSchema,
      authorId: memberIdSchema,
      replyTo: commentIdSchema,
    }),
  ),
  /** A like that did not stand before (a PUT on a standing like emits nothing). */
  likeGiven: event('chat', 'like', 'given', like),
  /** A standing like was removed (a DELETE with no like standing emits nothing). */
  likeWithdrawn: event('chat', 'like', 'withdrawn', like),
  /**
   * A post's or comment's like count after a like was given or withdrawn, for the feed's viewers
   * (live route `post.liked`); `spaceId` says which feed's room hears it.
   */
  likeCountChanged: event(
    'chat',
    'like-count',
    'changed',
    z.strictObject({
      targetType: likeTargetTypeSchema,
      targetId: z.string().regex(/^[a-f0-9]{24}$/, 'post or comment id'),
      postId: postIdSchema,
      spaceId: spaceIdSchema.nullable(),
      likes: z.number().int().min(0),
    }),
  ),
} as const;

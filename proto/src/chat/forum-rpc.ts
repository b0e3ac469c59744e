import { z } from 'zod';
import { rpc } from '../rpc.js';
import {
  commentCreateSchema,
  commentIdSchema,
  commentSchema,
  feedPageSchema,
  feedQuerySchema,
  likeStateSchema,
  likeTargetTypeSchema,
  postCreateSchema,
  postDetailSchema,
  postIdSchema,
  postSchema,
} from './forum.js';

/** Made on behalf of the signed-in member: the actor comes from their verified access token. */
const member = { actor: 'member' } as const;
const likeTarget = z.strictObject({
  targetType: likeTargetTypeSchema,
  targetId: z.string().regex(/^[a-f0-9]{24}$/, 'post or comment id'),
});

/**
 * The forum's request/reply API (served by chat). Refusals: 404 for a post the caller may not see
 * (another space's private feed looks like no post), 403 for posting in a feed one is not a member
 * of, for deleting another's content without moderating it, and for liking one's own content.
 */
export const forumRpc = {
  postCreate: rpc('chat', 'forum.post.create', postCreateSchema, postSchema, member),
  postList: rpc('chat', 'forum.post.list', feedQuerySchema, feedPageSchema, member),
  postGet: rpc(
    'chat',
    'forum.post.get',
    z.strictObject({ id: postIdSchema }),
    postDetailSchema,
    member,
  ),
  postDelete: rpc(
    'chat',
    'forum.post.delete',
    z.strictObject({ id: postIdSchema }),
    z.strictObject({ id: postIdSchema, deleted: z.literal(true) }),
    member,
  ),
  commentCreate: rpc(
    'chat',
    'forum.comment.create',
    commentCreateSchema.extend({ postId: postIdSchema }),
    commentSchema,
    member,
  ),
  commentDelete: rpc(
    'chat',
    'forum.comment.delete',
    z.strictObject({ id: commentIdSchema }),
    z.strictObject({ id: commentIdSchema, deleted: z.literal(true) }),
    member,
  ),
  /** Idempotent: a like that stands already is left as it is (and emits nothing). */
  likePut: rpc('chat', 'forum.like.put', likeTarget, likeStateSchema, member),
  /** Idempotent: no standing like is nothing to withdraw (and emits nothing). */
  likeDelete: rpc('chat', 'forum.like.delete', likeTarget, likeStateSchema, member),
} as const;

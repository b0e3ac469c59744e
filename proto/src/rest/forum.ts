import { z } from 'zod';
import {
  commentCreateSchema,
  commentIdSchema,
  commentSchema,
  feedPageSchema,
  feedQuerySchema,
  likeStateSchema,
  postCreateSchema,
  postDetailSchema,
  postIdSchema,
  postSchema,
} from '../chat/forum.js';
import { route } from './route.js';

const postParams = z.strictObject({ id: postIdSchema });
const commentParams = z.strictObject({ id: commentIdSchema });

/**
 * The community forum (issue 13): the main feed and one per community space. 404 for a post the
 * caller may not see, 403 `FORBIDDEN` for posting in a feed one is not a member of, deleting
 * someone else's content without moderating it, or liking one's own.
 */
export const forumRoutes = {
  postCreate: route({
    method: 'POST',
    path: '/posts',
    tag: 'forum',
    auth: 'member',
    status: 201,
    summary:
      'Publish a post (markdown) in the main feed, or in a community space feed (its members)',
    body: postCreateSchema,
    response: postSchema,
  }),
  postList: route({
    method: 'GET',
    path: '/posts',
    tag: 'forum',
    auth: 'member',
    status: 200,
    summary: 'A feed, newest first: the main one, or a space’s (spaceId); by tag; cursor `before`',
    query: feedQuerySchema,
    response: feedPageSchema,
  }),
  postGet: route({
    method: 'GET',
    path: '/posts/:id',
    tag: 'forum',
    auth: 'member',
    status: 200,
    summary: 'A post with its comments and replies, oldest first',
    params: postParams,
    response: postDetailSchema,
  }),
  postDelete: route({
    method: 'DELETE',
    path: '/posts/:id',
    tag: 'forum',
    auth: 'member',
    status: 204,
    summary: 'Delete a post (its author; a moderator of its space; an admin)',
    params: postParams,
    response: null,
  }),
  commentCreate: route({
    method: 'POST',
    path: '/posts/:id/comments',
    tag: 'forum',
    auth: 'member',
    status: 201,
    summary: 'Comment on a post, or reply to one of its comments (`replyTo`)',
    params: postParams,
    body: commentCreateSchema,
    response: commentSchema,
  }),
  commentDelete: route({
    method: 'DELETE',
    path: '/comments/:id',
    tag: 'forum',
    auth: 'member',
    status: 204,
    summary: 'Delete a comment or reply (its author; a moderator of its space; an admin)',
    params: commentParams,
    response: null,
  }),
  postLike: route({
    method: 'PUT',
    path: '/posts/:id/like',
    tag: 'forum',
    auth: 'member',
    status: 200,
    summary: 'Like a post (idempotent; never your own)',
    params: postParams,
    response: likeStateSchema,
  }),
  postUnlike: route({
    method: 'DELETE',
    path: '/posts/:id/like',
    tag: 'forum',
    auth: 'member',
    status: 200,
    summary: 'Withdraw your like of a post (idempotent)',
    params: postParams,
    response: likeStateSchema,
  }),
  commentLike: route({
    method: 'PUT',
    path: '/comments/:id/like',
    tag: 'forum',
    auth: 'member',
    status: 200,
    summary: 'Like a comment (idempotent; never your own)',
    params: commentParams,
    response: likeStateSchema,
  }),
  commentUnlike: route({
    method: 'DELETE',
    path: '/comments/:id/like',
    tag: 'forum',
    auth: 'member',
    status: 200,
    summary: 'Withdraw your like of a comment (idempotent)',
    params: commentParams,
    response: likeStateSchema,
  }),
} as const;

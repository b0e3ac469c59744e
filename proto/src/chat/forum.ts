import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';
import { spaceIdSchema } from '../spaces/space.js';

/** What the community shares (DOMAIN.md): a post carries any of these tags. */
export const forumTags = [
  'news',
  'event',
  'testimonial',
  'mistake-to-learn-from',
  'inspiring-story',
  'job-offer',
  'question',
] as const;
export const forumTagSchema = z.enum(forumTags);
export type ForumTag = z.infer<typeof forumTagSchema>;

export const postIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'post id');
export const commentIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'comment id');

/** What can be liked. */
export const likeTargetTypeSchema = z.enum(['post', 'comment']);
export type LikeTargetType = z.infer<typeof likeTargetTypeSchema>;

/**
 * Raw markdown, stored as written; chat renders it once on write (`marked`, then `sanitize-html`:
 * the same choice as chat messages) and hands out `html` beside it. The web inserts only `html`.
 * Markdown images are kept only when they show a stored image (`/api/media/<id>`).
 */
export const postBodySchema = z.string().trim().min(1).max(20_000);
export const postTitleSchema = z.string().trim().min(1).max(200);
export const commentBodySchema = z.string().trim().min(1).max(5_000);

export const postCreateSchema = z.strictObject({
  body: postBodySchema,
  title: postTitleSchema.optional(),
  /** A community space's feed; the main feed when absent or null. */
  spaceId: spaceIdSchema.nullable().optional(),
  tags: z
    .array(forumTagSchema)
    .max(forumTags.length)
    .refine((t) => new Set(t).size === t.length, 'each tag once')
    .default([]),
});

export const commentCreateSchema = z.strictObject({
  body: commentBodySchema,
  /** A reply to this comment (or reply) of the same post. */
  replyTo: commentIdSchema.optional(),
});

/** Opaque feed cursor: the id of the last post of the previous page. */
export const feedCursorSchema = postIdSchema;

export const feedQuerySchema = z.strictObject({
  /** A community space's feed; the main feed when absent. */
  spaceId: spaceIdSchema.optional(),
  tag: forumTagSchema.optional(),
  before: feedCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const postSchema = z.strictObject({
  id: postIdSchema,
  authorId: memberIdSchema,
  spaceId: spaceIdSchema.nullable(),
  title: z.string().nullable(),
  body: z.string(),
  tags: z.array(forumTagSchema),
  /** `body` rendered and sanitised on the server: the only form to insert as HTML. */
  html: z.string(),
  likes: z.number().int().min(0),
  likedByMe: z.boolean(),
  /** Comments and replies together. */
  commentCount: z.number().int().min(0),
  /** The caller may delete it (its author, a moderator of its space, an admin). */
  canDelete: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type PostView = z.infer<typeof postSchema>;

export const commentSchema = z.strictObject({
  id: commentIdSchema,
  postId: postIdSchema,
  authorId: memberIdSchema,
  /** The comment this one replies to; null for a comment on the post. */
  replyTo: commentIdSchema.nullable(),
  body: z.string(),
  /** `body` rendered and sanitised on the server. */
  html: z.string(),
  likes: z.number().int().min(0),
  likedByMe: z.boolean(),
  canDelete: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type CommentView = z.infer<typeof commentSchema>;

export const feedPageSchema = z.strictObject({
  posts: z.array(postSchema),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextCursor: feedCursorSchema.nullable(),
});

/** A post with its comments, oldest first (at most `maxCommentsShown`). */
export const postDetailSchema = z.strictObject({
  post: postSchema,
  comments: z.array(commentSchema),
});
export const maxCommentsShown = 500;

/** A like's state after PUT or DELETE. */
export const likeStateSchema = z.strictObject({
  targetType: likeTargetTypeSchema,
  targetId: z.string(),
  liked: z.boolean(),
  likes: z.number().int().min(0),
});

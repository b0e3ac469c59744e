import type { CommentView, PostView } from '@agora/proto';
import type { CommentDoc } from './comment.schema.js';
import type { PostDoc } from './post.schema.js';

export function postView(
  doc: PostDoc,
  extra: { likes: number; likedByMe: boolean; commentCount: number; canDelete: boolean },
): PostView {
  return {
    id: doc._id.toHexString(),
    authorId: doc.authorId.toHexString(),
    spaceId: doc.spaceId ? doc.spaceId.toHexString() : null,
    title: doc.title,
    body: doc.body,
    html: doc.html,
    tags: doc.tags,
    ...extra,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function commentView(
  doc: CommentDoc,
  extra: { likes: number; likedByMe: boolean; canDelete: boolean },
): CommentView {
  return {
    id: doc._id.toHexString(),
    postId: doc.postId.toHexString(),
    authorId: doc.authorId.toHexString(),
    replyTo: doc.replyTo ? doc.replyTo.toHexString() : null,
    body: doc.body,
    html: doc.html,
    ...extra,
    createdAt: doc.createdAt.toISOString(),
  };
}

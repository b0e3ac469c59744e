import { CommentRepository } from './comment.repository.js';
import { ForumErasureHandler } from './forum-erasure.handler.js';
import { ForumHandler } from './forum.handler.js';
import { ForumService } from './forum.service.js';
import { LikeRepository } from './like.repository.js';
import { LikeService } from './like.service.js';
import { PostRepository } from './post.repository.js';
import { SpaceAccessRepository } from './space-access.repository.js';

/** The forum's RPC handlers, for chat's module. */
export const forumControllers = [ForumHandler];

/** The forum's repositories (all I/O), services (rules) and consumers, for chat's module. */
export const forumProviders = [
  PostRepository,
  CommentRepository,
  LikeRepository,
  SpaceAccessRepository,
  ForumService,
  LikeService,
  // consumers
  ForumErasureHandler,
];

import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { forumRpc, type RpcPayload } from '@agora/proto';
import { ForumService } from './forum.service.js';
import { LikeService } from './like.service.js';

/** The forum's RPCs; every one is made for the member its verified token names. */
@Controller()
export class ForumHandler {
  constructor(
    private readonly forum: ForumService,
    private readonly likes: LikeService,
  ) {}

  @Rpc(forumRpc.postCreate)
  create(req: RpcPayload<typeof forumRpc.postCreate>, actor: VerifiedActor) {
    return this.forum.create(actor, req);
  }

  @Rpc(forumRpc.postList)
  list(req: RpcPayload<typeof forumRpc.postList>, actor: VerifiedActor) {
    return this.forum.list(actor, req);
  }

  @Rpc(forumRpc.postGet)
  get(req: RpcPayload<typeof forumRpc.postGet>, actor: VerifiedActor) {
    return this.forum.get(actor, req.id);
  }

  @Rpc(forumRpc.postDelete)
  async remove(req: RpcPayload<typeof forumRpc.postDelete>, actor: VerifiedActor) {
    await this.forum.remove(actor, req.id);
    return { id: req.id, deleted: true as const };
  }

  @Rpc(forumRpc.commentCreate)
  comment(req: RpcPayload<typeof forumRpc.commentCreate>, actor: VerifiedActor) {
    return this.forum.comment(actor, req);
  }

  @Rpc(forumRpc.commentDelete)
  async removeComment(req: RpcPayload<typeof forumRpc.commentDelete>, actor: VerifiedActor) {
    await this.forum.removeComment(actor, req.id);
    return { id: req.id, deleted: true as const };
  }

  @Rpc(forumRpc.likePut)
  like(req: RpcPayload<typeof forumRpc.likePut>, actor: VerifiedActor) {
    return this.likes.put(actor, req.targetType, req.targetId);
  }

  @Rpc(forumRpc.likeDelete)
  unlike(req: RpcPayload<typeof forumRpc.likeDelete>, actor: VerifiedActor) {
    return this.likes.remove(actor, req.targetType, req.targetId);
  }
}

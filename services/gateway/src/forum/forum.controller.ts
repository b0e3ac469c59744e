import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import {
  forumRoutes,
  forumRpc,
  type CommentView,
  type PostView,
  type RpcResponse,
} from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = forumRoutes;
type LikeState = RpcResponse<typeof forumRpc.likePut>;

/** The community forum; chat decides who may read, post, delete and like (the gateway only relays). */
@Controller()
export class ForumController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.postCreate)
  create(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.postCreate>,
  ): Promise<PostView> {
    return this.rpc.call(forumRpc.postCreate, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.postList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.postList>,
  ): Promise<RpcResponse<typeof forumRpc.postList>> {
    return this.rpc.call(forumRpc.postList, input.query, { actorToken: me.token });
  }

  @ApiRoute(r.postGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.postGet>,
  ): Promise<RpcResponse<typeof forumRpc.postGet>> {
    return this.rpc.call(forumRpc.postGet, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.postDelete)
  async remove(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.postDelete>,
  ): Promise<void> {
    await this.rpc.call(forumRpc.postDelete, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.commentCreate)
  comment(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.commentCreate>,
  ): Promise<CommentView> {
    return this.rpc.call(
      forumRpc.commentCreate,
      { postId: input.params.id, ...input.body },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.commentDelete)
  async removeComment(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.commentDelete>,
  ): Promise<void> {
    await this.rpc.call(forumRpc.commentDelete, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.postLike)
  likePost(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.postLike>,
  ): Promise<LikeState> {
    return this.rpc.call(
      forumRpc.likePut,
      { targetType: 'post', targetId: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.postUnlike)
  unlikePost(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.postUnlike>,
  ): Promise<LikeState> {
    return this.rpc.call(
      forumRpc.likeDelete,
      { targetType: 'post', targetId: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.commentLike)
  likeComment(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.commentLike>,
  ): Promise<LikeState> {
    return this.rpc.call(
      forumRpc.likePut,
      { targetType: 'comment', targetId: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.commentUnlike)
  unlikeComment(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.commentUnlike>,
  ): Promise<LikeState> {
    return this.rpc.call(
      forumRpc.likeDelete,
      { targetType: 'comment', targetId: input.params.id },
      { actorToken: me.token },
    );
  }
}

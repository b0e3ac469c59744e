import { Controller, Inject, Res } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { chatRoutes, chatRpc, type MessageView, type RpcResponse } from '@agora/proto';
import type { Response } from 'express';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = chatRoutes;

/** A channel's messages; chat checks membership, authorship, moderation and budgets. */
@Controller()
export class MessagesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  /** 201 for a new message; 200 with the stored one when its clientMessageId was sent before. */
  @ApiRoute(r.messageSend)
  async send(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.messageSend>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MessageView> {
    const { created, message } = await this.rpc.call(
      chatRpc.messageSend,
      { ...input.body, channelId: input.params.id },
      { actorToken: me.token },
    );
    if (!created) res.status(200);
    return message;
  }

  @ApiRoute(r.messageList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.messageList>,
  ): Promise<RpcResponse<typeof chatRpc.messageList>> {
    return this.rpc.call(
      chatRpc.messageList,
      { channelId: input.params.id, query: input.query },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.threadList)
  thread(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.threadList>,
  ): Promise<RpcResponse<typeof chatRpc.messageList>> {
    return this.rpc.call(
      chatRpc.messageList,
      { channelId: input.params.id, threadOf: input.params.messageId, query: input.query },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.messageSearch)
  search(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.messageSearch>,
  ): Promise<RpcResponse<typeof chatRpc.messageSearch>> {
    return this.rpc.call(
      chatRpc.messageSearch,
      { channelId: input.params.id, query: input.query },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.messageEdit)
  edit(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.messageEdit>,
  ): Promise<MessageView> {
    return this.rpc.call(
      chatRpc.messageEdit,
      { channelId: input.params.id, messageId: input.params.messageId, body: input.body.body },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.messageDelete)
  async remove(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.messageDelete>,
  ): Promise<void> {
    await this.rpc.call(
      chatRpc.messageDelete,
      { channelId: input.params.id, messageId: input.params.messageId },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.reactionAdd)
  react(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.reactionAdd>,
  ): Promise<MessageView> {
    return this.rpc.call(
      chatRpc.reactionSet,
      {
        channelId: input.params.id,
        messageId: input.params.messageId,
        emoji: input.body.emoji,
        on: true,
      },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.reactionRemove)
  unreact(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.reactionRemove>,
  ): Promise<MessageView> {
    return this.rpc.call(
      chatRpc.reactionSet,
      {
        channelId: input.params.id,
        messageId: input.params.messageId,
        emoji: input.params.emoji,
        on: false,
      },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.messageReport)
  async report(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.messageReport>,
  ): Promise<void> {
    await this.rpc.call(
      chatRpc.messageReport,
      { channelId: input.params.id, messageId: input.params.messageId, reason: input.body.reason },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.messageHide)
  hide(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.messageHide>,
  ): Promise<MessageView> {
    return this.rpc.call(
      chatRpc.messageHide,
      { channelId: input.params.id, messageId: input.params.messageId, reason: input.body.reason },
      { actorToken: me.token },
    );
  }
}

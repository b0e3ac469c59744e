import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { chatRoutes, chatRpc, type ChannelView, type RpcResponse } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = chatRoutes;

/** Channels, direct messages, read positions and mutes; chat decides everything (the gateway relays). */
@Controller()
export class ChannelsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.dmOpen)
  dmOpen(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.dmOpen>,
  ): Promise<ChannelView> {
    return this.rpc.call(chatRpc.dmOpen, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.channelList)
  list(@CurrentPrincipal() me: Principal): Promise<RpcResponse<typeof chatRpc.channelList>> {
    return this.rpc.call(chatRpc.channelList, {}, { actorToken: me.token });
  }

  @ApiRoute(r.channelGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.channelGet>,
  ): Promise<ChannelView> {
    return this.rpc.call(
      chatRpc.channelGet,
      { channelId: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.channelLeave)
  async leave(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.channelLeave>,
  ): Promise<void> {
    await this.rpc.call(
      chatRpc.channelLeave,
      { channelId: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.readSet)
  read(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.readSet>,
  ): Promise<RpcResponse<typeof chatRpc.readSet>> {
    return this.rpc.call(
      chatRpc.readSet,
      { channelId: input.params.id, seq: input.body.seq },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.memberMute)
  mute(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.memberMute>,
  ): Promise<RpcResponse<typeof chatRpc.memberMute>> {
    return this.rpc.call(
      chatRpc.memberMute,
      { channelId: input.params.id, memberId: input.params.memberId, minutes: input.body.minutes },
      { actorToken: me.token },
    );
  }
}

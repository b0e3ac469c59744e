import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import {
  notificationRoutes,
  notificationRpc,
  type NotificationPreferences,
  type RpcResponse,
} from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = notificationRoutes;

/** The signed-in member's own notifications (chat holds them; the member comes from the token). */
@Controller()
export class NotificationsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.notificationList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.notificationList>,
  ): Promise<RpcResponse<typeof notificationRpc.list>> {
    return this.rpc.call(notificationRpc.list, input.query, { actorToken: me.token });
  }

  @ApiRoute(r.notificationRead)
  read(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.notificationRead>,
  ): Promise<RpcResponse<typeof notificationRpc.markRead>> {
    return this.rpc.call(notificationRpc.markRead, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.preferencesGet)
  preferences(@CurrentPrincipal() me: Principal): Promise<NotificationPreferences> {
    return this.rpc.call(notificationRpc.preferencesGet, {}, { actorToken: me.token });
  }

  @ApiRoute(r.preferencesSet)
  setPreferences(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.preferencesSet>,
  ): Promise<NotificationPreferences> {
    return this.rpc.call(notificationRpc.preferencesSet, input.body, { actorToken: me.token });
  }
}

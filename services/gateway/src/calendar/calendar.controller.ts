import { Controller, Inject, Res } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { calendarRoutes, calendarRpc, type RpcResponse } from '@agora/proto';
import type { Response } from 'express';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';
import { sendIcs } from './ics-response.js';

const r = calendarRoutes;

/** The member's calendar: its feed (public by secret token) and its settings. */
@Controller()
export class CalendarController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  /** Calendar apps fetch this with no account: spaces checks the token against its hash. */
  @ApiRoute(r.calendarFeed)
  async feed(
    @Input() input: RouteInput<typeof r.calendarFeed>,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.rpc.call(calendarRpc.calendarFeed, { token: input.params.token });
    sendIcs(res, file.ics, file.filename);
  }

  @ApiRoute(r.calendarInfo)
  info(@CurrentPrincipal() me: Principal): Promise<RpcResponse<typeof calendarRpc.calendarInfo>> {
    return this.rpc.call(calendarRpc.calendarInfo, {}, { actorToken: me.token });
  }

  @ApiRoute(r.calendarReset)
  reset(@CurrentPrincipal() me: Principal): Promise<RpcResponse<typeof calendarRpc.calendarReset>> {
    return this.rpc.call(calendarRpc.calendarReset, {}, { actorToken: me.token });
  }

  @ApiRoute(r.calendarEntries)
  entries(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.calendarEntries>,
  ): Promise<RpcResponse<typeof calendarRpc.calendarEntries>> {
    return this.rpc.call(calendarRpc.calendarEntries, input.query, { actorToken: me.token });
  }
}

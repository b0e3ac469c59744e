import { Controller, Inject, Res } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { workshopRoutes, workshopRpc, type RpcResponse, type WorkshopView } from '@agora/proto';
import type { Response } from 'express';
import { sendIcs } from '../calendar/ics-response.js';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = workshopRoutes;
type Me = { actorToken: string };
const as = (me: Principal): Me => ({ actorToken: me.token });

/** Workshops, registrations and attendance; every rule is spaces' (the gateway only relays). */
@Controller()
export class WorkshopsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.workshopCreate)
  create(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.workshopCreate>,
  ): Promise<WorkshopView> {
    return this.rpc.call(workshopRpc.workshopCreate, input.body, as(me));
  }

  @ApiRoute(r.workshopList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.workshopList>,
  ): Promise<RpcResponse<typeof workshopRpc.workshopList>> {
    return this.rpc.call(workshopRpc.workshopList, input.query, as(me));
  }

  @ApiRoute(r.workshopGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.workshopGet>,
  ): Promise<WorkshopView> {
    return this.rpc.call(workshopRpc.workshopGet, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.workshopUpdate)
  update(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.workshopUpdate>,
  ): Promise<WorkshopView> {
    return this.rpc.call(
      workshopRpc.workshopUpdate,
      { id: input.params.id, patch: input.body },
      as(me),
    );
  }

  @ApiRoute(r.registrationCreate)
  register(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.registrationCreate>,
  ): Promise<RpcResponse<typeof workshopRpc.registrationCreate>> {
    return this.rpc.call(workshopRpc.registrationCreate, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.registrationCancel)
  async cancel(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.registrationCancel>,
  ): Promise<void> {
    await this.rpc.call(workshopRpc.registrationCancel, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.registrationGet)
  mine(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.registrationGet>,
  ): Promise<RpcResponse<typeof workshopRpc.registrationGet>> {
    return this.rpc.call(workshopRpc.registrationGet, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.rosterGet)
  roster(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.rosterGet>,
  ): Promise<RpcResponse<typeof workshopRpc.rosterGet>> {
    return this.rpc.call(workshopRpc.rosterGet, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.attendanceList)
  attendance(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.attendanceList>,
  ): Promise<RpcResponse<typeof workshopRpc.attendanceList>> {
    return this.rpc.call(workshopRpc.attendanceList, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.attendanceAdd)
  markPresent(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.attendanceAdd>,
  ): Promise<RpcResponse<typeof workshopRpc.attendanceAdd>> {
    return this.rpc.call(
      workshopRpc.attendanceAdd,
      { id: input.params.id, attendee: input.body },
      as(me),
    );
  }

  @ApiRoute(r.attendanceRemove)
  async unmark(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.attendanceRemove>,
  ): Promise<void> {
    await this.rpc.call(
      workshopRpc.attendanceRemove,
      { id: input.params.id, attendeeId: input.params.attendeeId },
      as(me),
    );
  }

  @ApiRoute(r.workshopIcs)
  async ics(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.workshopIcs>,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.rpc.call(workshopRpc.workshopIcs, { id: input.params.id }, as(me));
    sendIcs(res, file.ics, file.filename);
  }
}

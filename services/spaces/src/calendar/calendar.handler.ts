import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { calendarRpc, workshopRpc, type RpcPayload } from '@agora/proto';
import { CalendarService } from './calendar.service.js';

@Controller()
export class CalendarHandler {
  constructor(private readonly calendar: CalendarService) {}

  @Rpc(calendarRpc.calendarInfo)
  info(_req: RpcPayload<typeof calendarRpc.calendarInfo>, actor: VerifiedActor) {
    return this.calendar.info(actor);
  }

  @Rpc(calendarRpc.calendarReset)
  reset(_req: RpcPayload<typeof calendarRpc.calendarReset>, actor: VerifiedActor) {
    return this.calendar.reset(actor);
  }

  @Rpc(calendarRpc.calendarEntries)
  entries(req: RpcPayload<typeof calendarRpc.calendarEntries>, actor: VerifiedActor) {
    return this.calendar.entries(actor, req.from, req.limit);
  }

  /** No member token: the feed's secret token is the credential (checked against its hash). */
  @Rpc(calendarRpc.calendarFeed)
  feed(req: RpcPayload<typeof calendarRpc.calendarFeed>) {
    return this.calendar.feed(req.token);
  }

  @Rpc(workshopRpc.workshopIcs)
  workshopIcs(req: RpcPayload<typeof workshopRpc.workshopIcs>, actor: VerifiedActor) {
    return this.calendar.workshopIcs(actor, req.id);
  }
}

import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { workshopRpc, type RpcPayload } from '@agora/proto';
import { AttendanceService } from './attendance.service.js';

@Controller()
export class AttendanceHandler {
  constructor(private readonly attendance: AttendanceService) {}

  @Rpc(workshopRpc.attendanceList)
  list(req: RpcPayload<typeof workshopRpc.attendanceList>, actor: VerifiedActor) {
    return this.attendance.list(actor, req.id);
  }

  @Rpc(workshopRpc.attendanceAdd)
  add(req: RpcPayload<typeof workshopRpc.attendanceAdd>, actor: VerifiedActor) {
    return this.attendance.add(actor, req.id, req.attendee);
  }

  @Rpc(workshopRpc.attendanceRemove)
  remove(req: RpcPayload<typeof workshopRpc.attendanceRemove>, actor: VerifiedActor) {
    return this.attendance.remove(actor, req.id, req.attendeeId);
  }
}

import { Injectable } from '@nestjs/common';
import { pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import {
  workshopEvents,
  type AttendeeView,
  type RpcPayload,
  type RpcResponse,
  type workshopRpc,
} from '@agora/proto';
import { viewerOf } from '../access/viewer.js';
import { hex, newId, oid } from '../common/object-id.js';
import { WorkshopContextLoader } from '../workshops/workshop-context.js';
import type { AttendeeDoc } from '../workshops/workshop-fields.schema.js';
import { canManageWorkshop } from '../workshops/workshop-rights.js';
import { WorkshopWriter } from '../workshops/workshop-writer.js';
import { attendanceCounts } from './attendance-counts.js';

function toView(a: AttendeeDoc): AttendeeView {
  return {
    id: hex(a._id),
    memberId: a.memberId ? hex(a.memberId) : null,
    name: a.name,
    organisation: a.organisation,
    sector: (a.sector as AttendeeView['sector']) ?? null,
    recordedBy: hex(a.recordedBy),
    recordedAt: a.recordedAt.toISOString(),
  };
}

/**
 * Facilitators mark who came: members by id, people without an account by name (never asked to
 * register). The list is theirs alone; everyone else sees only the counts on the workshop.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly contexts: WorkshopContextLoader,
    private readonly writer: WorkshopWriter,
  ) {}

  async list(
    actor: VerifiedActor,
    id: string,
  ): Promise<RpcResponse<typeof workshopRpc.attendanceList>> {
    const attendees = (await this.managed(actor, id)).doc.workshop.attendees;
    return { items: attendees.map(toView), counts: attendanceCounts(attendees) };
  }

  async add(
    actor: VerifiedActor,
    id: string,
    input: RpcPayload<typeof workshopRpc.attendanceAdd>['attendee'],
  ): Promise<AttendeeView> {
    await this.managed(actor, id);
    const attendeeId = newId();
    const { result } = await this.writer.change(id, (doc, now) => {
      const w = doc.workshop;
      if (w.stage !== 'published')
        throw new RpcFailure(
          'INVALID_STATE',
          'attendance is marked once the workshop is published',
        );
      const memberId = 'memberId' in input ? input.memberId : null;
      if (memberId && w.attendees.some((a) => a.memberId && hex(a.memberId) === memberId))
        throw new RpcFailure('CONFLICT', 'this member is already marked present');
      const attendee: AttendeeDoc = {
        _id: oid(attendeeId),
        memberId: memberId ? oid(memberId) : null,
        name: 'name' in input ? input.name : '',
        organisation: 'organisation' in input ? input.organisation : '',
        sector: input.sector,
        recordedBy: oid(actor.memberId),
        recordedAt: now,
      };
      return {
        set: { 'workshop.attendees': [...w.attendees, attendee] },
        events: [
          pendingEvent(workshopEvents.attendanceRecorded, actor.memberId, id, {
            workshopId: id,
            attendeeId,
            memberId,
          }),
        ],
        result: toView(attendee),
      };
    });
    return result;
  }

  async remove(actor: VerifiedActor, id: string, attendeeId: string): Promise<{ ok: true }> {
    await this.managed(actor, id);
    await this.writer.change(id, (doc) => {
      const rest = doc.workshop.attendees.filter((a) => hex(a._id) !== attendeeId);
      if (rest.length === doc.workshop.attendees.length)
        throw new RpcFailure('NOT_FOUND', 'no such attendance mark');
      return { set: { 'workshop.attendees': rest }, events: [], result: null };
    });
    return { ok: true };
  }

  private async managed(actor: VerifiedActor, id: string) {
    const viewer = viewerOf(actor);
    const ctx = await this.contexts.visible(viewer, id);
    if (!canManageWorkshop(viewer, ctx.rosterRole))
      throw new RpcFailure('FORBIDDEN', 'only its facilitators mark attendance');
    return ctx;
  }
}

import { docName, type WorkshopView } from '@agora/proto';
import type { Viewer } from '../access/rights.js';
import { hex } from '../common/object-id.js';
import { attendanceCounts } from '../attendance/attendance-counts.js';
import type { WorkshopContext } from './workshop-context.js';
import { canManageWorkshop, notesRight } from './workshop-rights.js';

/** When registration closes: the time set, else the start. */
export function closesAt(w: { registrationClosesAt: Date | null; startsAt: Date }): Date {
  return w.registrationClosesAt ?? w.startsAt;
}

export function registrationOpen(
  w: { stage: string; registrationClosesAt: Date | null; startsAt: Date },
  now: Date,
): boolean {
  return w.stage === 'published' && now.getTime() < closesAt(w).getTime();
}

export function toWorkshopView(ctx: WorkshopContext, viewer: Viewer, now: Date): WorkshopView {
  const { doc, roster, rosterRole } = ctx;
  const w = doc.workshop;
  const id = hex(doc._id);
  const insider = viewer.isAdmin || rosterRole === 'facilitator' || rosterRole === 'participant';
  const position = roster.waitlist.indexOf(viewer.memberId) + 1;
  return {
    id,
    kind: 'workshop',
    title: doc.title,
    description: w.description,
    status: w.stage,
    visibility: doc.visibility,
    country: w.country,
    language: w.language,
    format: w.format,
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    timeZone: w.timeZone,
    registrationClosesAt: closesAt(w).toISOString(),
    registrationOpen: registrationOpen(w, now),
    capacity: w.capacity,
    registeredCount: roster.registered.length,
    waitlistCount: roster.waitlist.length,
    place: w.place,
    link: insider ? w.link : '',
    agenda: w.agenda.map((s) => ({ key: s.key, title: s.title, minutes: s.minutes ?? null })),
    outcomes: {
      decisions: [...w.outcomes.decisions],
      proposals: w.outcomes.proposals.map((p) => ({ title: p.title, note: p.note ?? '' })),
      followUps: w.outcomes.followUps.map((f) => ({
        task: f.task,
        ownerId: f.ownerId ?? null,
        ownerName: f.ownerName ?? '',
        due: f.due ?? null,
        done: f.done ?? false,
      })),
    },
    docName: docName('notes', id),
    communityId: hex(w.communityId),
    facilitators: [...roster.facilitators],
    attendance: w.attendees.length > 0 ? attendanceCounts(w.attendees) : null,
    createdBy: hex(doc.createdBy),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    publishedAt: w.publishedAt ? w.publishedAt.toISOString() : null,
    myRole: rosterRole,
    myRegistration:
      rosterRole === 'participant'
        ? { status: 'registered' }
        : position > 0
          ? { status: 'waitlisted', position }
          : { status: 'none' },
    myRight: notesRight(
      { stage: w.stage, visibility: doc.visibility },
      rosterRole,
      ctx.communityRole,
    ),
    canManage: canManageWorkshop(viewer, rosterRole),
  };
}

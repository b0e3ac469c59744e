import { z } from 'zod';
import { rpc } from '../rpc.js';
import { icsSchema } from './calendar.js';
import { spaceIdSchema } from './space.js';
import {
  attendanceSchema,
  attendeeCreateSchema,
  attendeeSchema,
  myRegistrationSchema,
  registrationStatusSchema,
  rosterSchema,
  workshopCreateSchema,
  workshopListQuerySchema,
  workshopPageSchema,
  workshopPatchSchema,
  workshopSchema,
} from './workshop.js';

const member = { actor: 'member' } as const;
const byId = z.strictObject({ id: spaceIdSchema });

/** Workshops: registration with a waiting list, attendance, outcomes (all for the signed-in member). */
export const workshopRpc = {
  /** Facilitators and admins (the token's platform role). */
  workshopCreate: rpc('spaces', 'workshop.create', workshopCreateSchema, workshopSchema, member),
  workshopUpdate: rpc(
    'spaces',
    'workshop.update',
    z.strictObject({ id: spaceIdSchema, patch: workshopPatchSchema }),
    workshopSchema,
    member,
  ),
  workshopGet: rpc('spaces', 'workshop.get', byId, workshopSchema, member),
  workshopList: rpc(
    'spaces',
    'workshop.list',
    workshopListQuerySchema.extend({
      upcoming: z.boolean().optional(),
      mine: z.boolean().optional(),
    }),
    workshopPageSchema,
    member,
  ),
  registrationCreate: rpc(
    'spaces',
    'workshop.registration.create',
    byId,
    registrationStatusSchema,
    member,
  ),
  registrationCancel: rpc(
    'spaces',
    'workshop.registration.cancel',
    byId,
    z.strictObject({ ok: z.literal(true) }),
    member,
  ),
  registrationGet: rpc('spaces', 'workshop.registration.get', byId, myRegistrationSchema, member),
  rosterGet: rpc('spaces', 'workshop.roster.get', byId, rosterSchema, member),
  attendanceList: rpc('spaces', 'workshop.attendance.list', byId, attendanceSchema, member),
  attendanceAdd: rpc(
    'spaces',
    'workshop.attendance.add',
    z.strictObject({ id: spaceIdSchema, attendee: attendeeCreateSchema }),
    attendeeSchema,
    member,
  ),
  attendanceRemove: rpc(
    'spaces',
    'workshop.attendance.remove',
    z.strictObject({ id: spaceIdSchema, attendeeId: z.string().regex(/^[a-f0-9]{24}$/) }),
    z.strictObject({ ok: z.literal(true) }),
    member,
  ),
  /** The workshop as one VEVENT (with its VTIMEZONE), for "add to calendar". */
  workshopIcs: rpc('spaces', 'workshop.ics', byId, icsSchema, member),
} as const;

import { z } from 'zod';
import { docNameSchema } from '../doc-names.js';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { spaceIdSchema } from './space.js';

const workshopRef = { workshopId: spaceIdSchema };

/** Workshops', communities' and notes' domain events (ids and counts only, no personal data). */
export const workshopEvents = {
  /** On publication, and whenever a published workshop's `startsAt` changes. */
  workshopScheduled: event(
    'spaces',
    'workshop',
    'scheduled',
    z.strictObject({ ...workshopRef, startsAt: z.iso.datetime() }),
  ),
  /** Fields of the workshop changed (the page reloads it; calendar feeds carry a new SEQUENCE). */
  workshopUpdated: event(
    'spaces',
    'workshop',
    'updated',
    z.strictObject({ ...workshopRef, fields: z.array(z.string()).min(1) }),
  ),
  /**
   * Who facilitates, holds a place or waits changed (registration, cancellation, promotion,
   * capacity, co-facilitators): spaces' own consumer makes the memberships follow, and the page
   * hears the new counts.
   */
  rosterChanged: event(
    'spaces',
    'workshop-roster',
    'changed',
    z.strictObject({
      ...workshopRef,
      memberIds: z.array(memberIdSchema).max(1_000),
      registered: z.number().int(),
      waitlisted: z.number().int(),
    }),
  ),
  /** First in line got the place that freed up (notifications tell them, with a mail). */
  registrationPromoted: event(
    'spaces',
    'registration',
    'promoted',
    z.strictObject({ ...workshopRef, memberId: memberIdSchema }),
  ),
  attendanceRecorded: event(
    'spaces',
    'attendance',
    'recorded',
    z.strictObject({
      ...workshopRef,
      attendeeId: z.string(),
      memberId: memberIdSchema.nullable(),
    }),
  ),
  /** A workshop was published or a community created: spaces' seeder writes the notes' skeleton. */
  notesOpened: event(
    'spaces',
    'notes',
    'opened',
    z.strictObject({
      spaceId: spaceIdSchema,
      kind: z.enum(['workshop', 'community']),
      docName: docNameSchema,
    }),
  ),
  communityCreated: event(
    'spaces',
    'community',
    'created',
    z.strictObject({ communityId: spaceIdSchema, type: z.enum(['national', 'topic']) }),
  ),
} as const;

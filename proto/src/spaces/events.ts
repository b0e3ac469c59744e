import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { decisionOutcomeSchema, proposalStatusSchema } from './proposal.js';
import { spaceIdSchema, spaceKindSchema, spaceRoleSchema } from './space.js';

const callRef = { callId: spaceIdSchema };
/** Proposal events name the proposal (its space id), its call, and the status it is in after the change. */
const proposalRef = {
  proposalId: spaceIdSchema,
  callId: spaceIdSchema,
  status: proposalStatusSchema,
};

/** Spaces' domain events that collab, chat and the gateway follow. */
export const spacesEvents = {
  /** The member joined the space (or was added) with a role. */
  membershipAdded: event(
    'spaces',
    'membership',
    'added',
    z.strictObject({
      spaceId: spaceIdSchema,
      kind: spaceKindSchema,
      memberId: memberIdSchema,
      role: spaceRoleSchema,
    }),
  ),
  membershipRoleChanged: event(
    'spaces',
    'membership',
    'role-changed',
    z.strictObject({
      spaceId: spaceIdSchema,
      kind: spaceKindSchema,
      memberId: memberIdSchema,
      role: spaceRoleSchema,
      previous: spaceRoleSchema,
    }),
  ),
  /**
   * Rights on the space's document changed for reasons other than one membership (a proposal was
   * submitted, opened to members, a reviewer assigned): collab asks `doc.access` again for every
   * connection to the space's document.
   */
  docAccessChanged: event(
    'spaces',
    'doc-access',
    'changed',
    z.strictObject({ spaceId: spaceIdSchema, kind: spaceKindSchema }),
  ),
  /** The member left or was removed: they lose the space's room, its documents and its channel. */
  membershipRemoved: event(
    'spaces',
    'membership',
    'removed',
    z.strictObject({ spaceId: spaceIdSchema, memberId: memberIdSchema }),
  ),
  /** An email invitation into the space was recorded with its role (no address on the bus). */
  membershipInvited: event(
    'spaces',
    'membership',
    'invited',
    z.strictObject({
      spaceId: spaceIdSchema,
      kind: spaceKindSchema,
      invitationId: z.string().min(1),
      role: spaceRoleSchema,
    }),
  ),

  callCreated: event('spaces', 'call', 'created', z.strictObject(callRef)),
  callUpdated: event(
    'spaces',
    'call',
    'updated',
    z.strictObject({ ...callRef, fields: z.array(z.string()).min(1) }),
  ),
  callPublished: event(
    'spaces',
    'call',
    'published',
    z.strictObject({ ...callRef, deadline: z.iso.datetime() }),
  ),
  /** The deadline passed: no submission is accepted any more. */
  callClosed: event(
    'spaces',
    'call',
    'closed',
    z.strictObject({ ...callRef, deadline: z.iso.datetime() }),
  ),

  /** A proposal exists; spaces' own seeder asks collab to write its skeleton from this event. */
  proposalCreated: event(
    'spaces',
    'proposal',
    'created',
    z.strictObject({ ...proposalRef, docName: z.string() }),
  ),
  /** Collab has the skeleton (seeded now, or found already seeded or edited). */
  proposalSeeded: event('spaces', 'proposal', 'seeded', z.strictObject({ ...proposalRef })),
  proposalUpdated: event(
    'spaces',
    'proposal',
    'updated',
    z.strictObject({ ...proposalRef, fields: z.array(z.string()).min(1) }),
  ),
  proposalSubmitted: event(
    'spaces',
    'proposal',
    'submitted',
    z.strictObject({ ...proposalRef, versionId: z.string() }),
  ),
  proposalWithdrawn: event(
    'spaces',
    'proposal',
    'withdrawn',
    z.strictObject({ ...proposalRef, previous: proposalStatusSchema }),
  ),
  /** Back to draft to be revised; its next submission freezes a new version. */
  proposalReopened: event('spaces', 'proposal', 'reopened', z.strictObject({ ...proposalRef })),
  reviewerAssigned: event(
    'spaces',
    'reviewer',
    'assigned',
    z.strictObject({ ...proposalRef, reviewerId: memberIdSchema }),
  ),
  reviewSubmitted: event(
    'spaces',
    'review',
    'submitted',
    z.strictObject({ ...proposalRef, reviewId: z.string(), reviewerId: memberIdSchema }),
  ),
  proposalDecided: event(
    'spaces',
    'proposal',
    'decided',
    z.strictObject({ ...proposalRef, outcome: decisionOutcomeSchema }),
  ),
} as const;

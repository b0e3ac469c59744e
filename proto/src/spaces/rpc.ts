import { z } from 'zod';
import { docRightSchema } from '../collab/collab-doc.js';
import { docNameSchema } from '../doc-names.js';
import { countrySchema, expertiseSchema, memberIdSchema } from '../identity/member.js';
import { rpc } from '../rpc.js';
import {
  callCreateSchema,
  callPageSchema,
  callPatchSchema,
  callSchema,
  callStatusSchema,
} from './call.js';
import {
  decisionCreateSchema,
  memberEntrySchema,
  memberListSchema,
  pendingMemberSchema,
  proposalCreateSchema,
  proposalPageSchema,
  proposalPatchSchema,
  proposalSchema,
  proposalStatusSchema,
  reviewCreateSchema,
  reviewSchema,
} from './proposal.js';
import { spaceIdSchema, spaceRoleSchema } from './space.js';

/** Made on behalf of the signed-in member: the actor comes from their verified access token. */
const member = { actor: 'member' } as const;
const byId = z.strictObject({ id: spaceIdSchema });
const page = {
  offset: z.number().int().min(0).max(100_000).default(0),
  limit: z.number().int().min(1).max(100).default(20),
};

/** Spaces' request/reply API: the single source of truth for memberships and rights. */
export const spacesRpc = {
  /**
   * May this member follow the space live (socket.io room `space:<spaceId>`)? Asked by the gateway
   * on `space.join`; an unknown space answers `allowed: false`, like one the member is not in.
   */
  roomAccess: rpc(
    'spaces',
    'room.access',
    z.strictObject({ memberId: memberIdSchema, spaceId: spaceIdSchema }),
    z.discriminatedUnion('allowed', [
      z.strictObject({ allowed: z.literal(true), role: spaceRoleSchema }),
      z.strictObject({ allowed: z.literal(false), role: z.null() }),
    ]),
  ),
  /**
   * The member's right on a co-edited document (DOMAIN.md "Rights on a document"), asked by collab
   * on every connection and again when an event says the space's rights changed. An unknown doc
   * answers `none`, like one the member may not see; `role` is the member's role in the doc's
   * space, or null when the right comes from elsewhere (a call's owner reading a proposal).
   */
  docAccess: rpc(
    'spaces',
    'doc.access',
    z.strictObject({ memberId: memberIdSchema, docName: docNameSchema }),
    z.strictObject({ right: docRightSchema, role: spaceRoleSchema.nullable() }),
  ),

  // Calls for proposals.
  callCreate: rpc('spaces', 'call.create', callCreateSchema, callSchema, member),
  callUpdate: rpc(
    'spaces',
    'call.update',
    z.strictObject({ id: spaceIdSchema, patch: callPatchSchema }),
    callSchema,
    member,
  ),
  callPublish: rpc('spaces', 'call.publish', byId, callSchema, member),
  callGet: rpc('spaces', 'call.get', byId, callSchema, member),
  callList: rpc(
    'spaces',
    'call.list',
    z.strictObject({
      status: callStatusSchema.optional(),
      mine: z.boolean().optional(),
      ...page,
    }),
    callPageSchema,
    member,
  ),

  // Proposals and their lifecycle.
  proposalCreate: rpc(
    'spaces',
    'proposal.create',
    proposalCreateSchema.extend({ callId: spaceIdSchema }),
    proposalSchema,
    member,
  ),
  proposalGet: rpc('spaces', 'proposal.get', byId, proposalSchema, member),
  proposalUpdate: rpc(
    'spaces',
    'proposal.update',
    z.strictObject({ id: spaceIdSchema, patch: proposalPatchSchema }),
    proposalSchema,
    member,
  ),
  proposalList: rpc(
    'spaces',
    'proposal.list',
    z.strictObject({
      callId: spaceIdSchema.optional(),
      country: countrySchema.optional(),
      status: proposalStatusSchema.optional(),
      mine: z.boolean().optional(),
      reviewing: z.boolean().optional(),
      q: z.string().trim().max(200).optional(),
      ...page,
    }),
    proposalPageSchema,
    member,
  ),
  proposalSubmit: rpc('spaces', 'proposal.submit', byId, proposalSchema, member),
  proposalWithdraw: rpc('spaces', 'proposal.withdraw', byId, proposalSchema, member),
  /** A lead takes a submitted proposal back to draft before the deadline (not once in review). */
  proposalReopen: rpc('spaces', 'proposal.reopen', byId, proposalSchema, member),
  reviewerAssign: rpc(
    'spaces',
    'proposal.reviewer.assign',
    z.strictObject({ id: spaceIdSchema, memberId: memberIdSchema }),
    proposalSchema,
    member,
  ),
  reviewSubmit: rpc(
    'spaces',
    'proposal.review.submit',
    reviewCreateSchema.extend({ id: spaceIdSchema }),
    reviewSchema,
    member,
  ),
  reviewList: rpc(
    'spaces',
    'proposal.review.list',
    byId,
    z.strictObject({ items: z.array(reviewSchema) }),
    member,
  ),
  proposalDecide: rpc(
    'spaces',
    'proposal.decide',
    decisionCreateSchema.extend({ id: spaceIdSchema }),
    proposalSchema,
    member,
  ),

  // Memberships of every kind of space.
  memberList: rpc('spaces', 'member.list', byId, memberListSchema, member),
  memberAdd: rpc(
    'spaces',
    'member.add',
    z.strictObject({
      id: spaceIdSchema,
      memberId: memberIdSchema,
      role: spaceRoleSchema,
      area: expertiseSchema.optional(),
    }),
    memberEntrySchema,
    member,
  ),
  /**
   * Whether the caller may invite someone into the space with this role: the gateway asks before
   * it has identity send the invitation, so no mail goes out for an invitation spaces would refuse.
   */
  memberInviteCheck: rpc(
    'spaces',
    'member.invite.check',
    z.strictObject({ id: spaceIdSchema, role: spaceRoleSchema }),
    z.strictObject({ ok: z.literal(true) }),
    member,
  ),
  /** Keeps the role of an email invitation until its invitee joins (`identity.invitation.accepted`). */
  memberInviteRecord: rpc(
    'spaces',
    'member.invite.record',
    z.strictObject({
      id: spaceIdSchema,
      role: spaceRoleSchema,
      invitationId: z.string().min(1).max(64),
    }),
    pendingMemberSchema,
    member,
  ),
  memberUpdate: rpc(
    'spaces',
    'member.update',
    z.strictObject({ id: spaceIdSchema, memberId: memberIdSchema, role: spaceRoleSchema }),
    memberEntrySchema,
    member,
  ),
  memberRemove: rpc(
    'spaces',
    'member.remove',
    z.strictObject({ id: spaceIdSchema, memberId: memberIdSchema }),
    z.strictObject({ ok: z.literal(true) }),
    member,
  ),
} as const;

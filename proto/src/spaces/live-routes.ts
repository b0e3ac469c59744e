import { emitTo, leaveRoom, liveRoute, recheckRoom, rooms } from '../live.js';
import { spacesEvents } from './events.js';
import type { ProposalStatus } from './proposal.js';

const e = spacesEvents;

/** Every lifecycle step tells the proposal's room its new status. */
const statusChanged = (d: { proposalId: string; status: ProposalStatus }) =>
  emitTo(rooms.space(d.proposalId), 'proposal.status', { spaceId: d.proposalId, status: d.status });

/** What spaces' events do to open sockets. */
export const spacesLiveRoutes = {
  // Leave first: the member's sockets hear nothing more of the space, not even this removal.
  membershipRemoved: liveRoute(e.membershipRemoved, (d) => [
    leaveRoom(rooms.space(d.spaceId), d.memberId),
    emitTo(rooms.space(d.spaceId), 'space.member.removed', d),
    emitTo(rooms.user(d.memberId), 'space.left', { spaceId: d.spaceId }),
  ]),
  // A proposal closed to members again, a reviewer unassigned…: whoever may no longer follow the
  // room leaves it before hearing anything more.
  docAccessChanged: liveRoute(e.docAccessChanged, (d) => [recheckRoom(rooms.space(d.spaceId))]),
  membershipAdded: liveRoute(e.membershipAdded, (d) => [
    emitTo(rooms.space(d.spaceId), 'space.member.added', {
      spaceId: d.spaceId,
      memberId: d.memberId,
      role: d.role,
    }),
    emitTo(rooms.user(d.memberId), 'space.joined', {
      spaceId: d.spaceId,
      kind: d.kind,
      role: d.role,
    }),
  ]),
  membershipRoleChanged: liveRoute(e.membershipRoleChanged, (d) => [
    emitTo(rooms.space(d.spaceId), 'space.member.role-changed', {
      spaceId: d.spaceId,
      memberId: d.memberId,
      role: d.role,
      previous: d.previous,
    }),
  ]),
  callUpdated: liveRoute(e.callUpdated, (d) => [
    emitTo(rooms.space(d.callId), 'space.updated', { spaceId: d.callId, fields: d.fields }),
  ]),
  callPublished: liveRoute(e.callPublished, (d) => [
    emitTo(rooms.space(d.callId), 'call.status', { spaceId: d.callId, status: 'open' }),
  ]),
  callClosed: liveRoute(e.callClosed, (d) => [
    emitTo(rooms.space(d.callId), 'call.status', { spaceId: d.callId, status: 'closed' }),
  ]),
  proposalSeeded: liveRoute(e.proposalSeeded, (d) => [
    emitTo(rooms.space(d.proposalId), 'space.updated', {
      spaceId: d.proposalId,
      fields: ['seeded'],
    }),
  ]),
  proposalUpdated: liveRoute(e.proposalUpdated, (d) => [
    emitTo(rooms.space(d.proposalId), 'space.updated', { spaceId: d.proposalId, fields: d.fields }),
  ]),
  proposalSubmitted: liveRoute(e.proposalSubmitted, (d) => [statusChanged(d)]),
  proposalWithdrawn: liveRoute(e.proposalWithdrawn, (d) => [statusChanged(d)]),
  proposalReopened: liveRoute(e.proposalReopened, (d) => [statusChanged(d)]),
  reviewerAssigned: liveRoute(e.reviewerAssigned, (d) => [
    statusChanged(d),
    emitTo(rooms.user(d.reviewerId), 'review.assigned', {
      spaceId: d.proposalId,
      callId: d.callId,
    }),
  ]),
  reviewSubmitted: liveRoute(e.reviewSubmitted, (d) => [
    emitTo(rooms.space(d.proposalId), 'proposal.reviewed', {
      spaceId: d.proposalId,
      reviewId: d.reviewId,
    }),
  ]),
  proposalDecided: liveRoute(e.proposalDecided, (d) => [
    statusChanged(d),
    emitTo(rooms.space(d.proposalId), 'proposal.decided', {
      spaceId: d.proposalId,
      outcome: d.outcome,
    }),
  ]),
} as const;

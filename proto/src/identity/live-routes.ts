import { emitTo, endSessions, liveRoute, rooms } from '../live.js';
import { identityEvents } from './events.js';

const e = identityEvents;

/** What identity's events do to the member's open sockets. */
export const identityLiveRoutes = {
  profileUpdated: liveRoute(e.profileUpdated, (d) => [
    emitTo(rooms.user(d.memberId), 'me.updated', { fields: d.fields }),
  ]),
  avatarChanged: liveRoute(e.avatarChanged, (d) => [
    emitTo(rooms.user(d.memberId), 'me.updated', { fields: ['avatarUrl'] }),
  ]),
  coverChanged: liveRoute(e.coverChanged, (d) => [
    emitTo(rooms.user(d.memberId), 'me.updated', { fields: ['coverUrl'] }),
  ]),
  // The open sockets hold a token with the old role: tell, then make them reconnect with a fresh one.
  roleChanged: liveRoute(e.roleChanged, (d) => [
    emitTo(rooms.user(d.memberId), 'me.updated', { fields: ['role'] }),
    endSessions(d.memberId, 'role changed'),
  ]),
  // The inviter's open invitations page marks it accepted (ids only: the page asks for the rest).
  invitationAccepted: liveRoute(e.invitationAccepted, (d) => [
    emitTo(rooms.user(d.inviterId), 'invitation.accepted', {
      invitationId: d.invitationId,
      memberId: d.memberId,
    }),
  ]),
  memberDeleted: liveRoute(e.memberDeleted, (d) => [endSessions(d.memberId, 'account deleted')]),
} as const;

import { emitTo, liveRoute, rooms } from '../live.js';
import { sessionEvents } from './session-events.js';

const e = sessionEvents;

/** What Market Place events do to open sockets: everything goes to the session's room. */
export const sessionLiveRoutes = {
  sessionPhaseChanged: liveRoute(e.sessionPhaseChanged, (d) => [
    emitTo(rooms.space(d.sessionId), 'session.phase', {
      sessionId: d.sessionId,
      phase: d.phase,
      pitchIndex: d.pitchIndex,
      endsAt: d.endsAt,
    }),
  ]),
  sessionUpdated: liveRoute(e.sessionUpdated, (d) => [
    emitTo(rooms.space(d.sessionId), 'space.updated', { spaceId: d.sessionId, fields: d.fields }),
  ]),
  pitchAdded: liveRoute(e.pitchAdded, (d) => [
    emitTo(rooms.space(d.sessionId), 'space.updated', {
      spaceId: d.sessionId,
      fields: ['pitches'],
    }),
  ]),
  boardChanged: liveRoute(e.boardChanged, (d) => [
    emitTo(rooms.space(d.sessionId), 'session.board', {
      sessionId: d.sessionId,
      locked: d.locked,
      hideAuthors: d.hideAuthors,
      spotlightCardId: d.spotlightCardId,
    }),
  ]),
  sessionSummoned: liveRoute(e.sessionSummoned, (d) => [
    emitTo(rooms.space(d.sessionId), 'session.summon', {
      sessionId: d.sessionId,
      pitchIndex: d.pitchIndex,
    }),
  ]),
  cardAdded: liveRoute(e.cardAdded, (d) => [
    emitTo(rooms.space(d.sessionId), 'session.card', {
      sessionId: d.sessionId,
      cardId: d.cardId,
      status: 'accepted',
      rejection: null,
    }),
  ]),
  cardRejected: liveRoute(e.cardRejected, (d) => [
    emitTo(rooms.space(d.sessionId), 'session.card', {
      sessionId: d.sessionId,
      cardId: d.cardId,
      status: 'rejected',
      rejection: d.reason,
    }),
  ]),
  // Turnout only: which pitch got the dots stays unknown until the results.
  voteCast: liveRoute(e.voteCast, (d) => [
    emitTo(rooms.space(d.sessionId), 'session.vote-cast', {
      sessionId: d.sessionId,
      memberId: d.memberId,
      dots: d.dots,
    }),
  ]),
} as const;

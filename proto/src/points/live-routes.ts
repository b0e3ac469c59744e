import { emitTo, liveRoute, rooms } from '../live.js';
import { pointsEvents } from './events.js';

const e = pointsEvents;

/** Awards and level changes reach the member's own sockets (the toast and the level-up banner). */
export const pointsLiveRoutes = {
  pointsAwarded: liveRoute(e.pointsAwarded, (d) => [
    emitTo(rooms.user(d.memberId), 'points.awarded', {
      entryId: d.entryId,
      points: d.points,
      rule: d.rule,
      balance: d.balance,
    }),
  ]),
  levelChanged: liveRoute(e.levelChanged, (d) => [
    emitTo(rooms.user(d.memberId), 'level.changed', {
      level: d.level,
      previous: d.previous,
      direction: d.direction,
      balance: d.balance,
    }),
  ]),
} as const;

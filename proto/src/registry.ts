import { chatEvents } from './chat/events.js';
import { chatLiveRoutes } from './chat/live-routes.js';
import { chatRpc } from './chat/rpc.js';
import { forumEvents } from './chat/forum-events.js';
import { forumLiveRoutes } from './chat/forum-live-routes.js';
import { forumRpc } from './chat/forum-rpc.js';
import { notificationEvents } from './chat/notification-events.js';
import { notificationLiveRoutes } from './chat/notification-live-routes.js';
import { notificationRpc } from './chat/notification-rpc.js';
import { identityDigestRpc } from './identity/digest-rpc.js';
import { identityRecoveryRpc, recoveryEvents } from './identity/recovery.js';
import { recoveryRoutes } from './rest/recovery.js';
import { accountEvents, accountRpc } from './identity/accounts.js';
import { accountRoutes } from './rest/accounts.js';
import { forumRoutes } from './rest/forum.js';
import { notificationRoutes } from './rest/notifications.js';
import { collabEvents } from './collab/events.js';
import { collabRpc } from './collab/rpc.js';
import type { EventDef } from './events.js';
import type { LiveRoute } from './live.js';
import type { RpcDef } from './rpc.js';
import { identityEvents } from './identity/events.js';
import { pointsEvents } from './points/events.js';
import { pointsLiveRoutes } from './points/live-routes.js';
import { pointsRpc } from './points/rpc.js';
import { pointsRoutes } from './rest/points.js';
import { identityLiveRoutes } from './identity/live-routes.js';
import { identityRpc } from './identity/rpc.js';
import { installRpc, peopleRpc } from './identity/people.js';
import { installRoutes, peopleRoutes } from './rest/people.js';
import { chatRoutes } from './rest/chat.js';
import { collabRoutes } from './rest/collab.js';
import { identityRoutes } from './rest/identity.js';
import type { RouteDef } from './rest/route.js';
import { spacesRoutes } from './rest/spaces.js';
import { spacesEvents } from './spaces/events.js';
import { spacesLiveRoutes } from './spaces/live-routes.js';
import { spacesRpc } from './spaces/rpc.js';
import { calendarRpc } from './spaces/calendar-rpc.js';
import { communityRpc } from './spaces/community-rpc.js';
import { workshopEvents } from './spaces/workshop-events.js';
import { workshopLiveRoutes } from './spaces/workshop-live-routes.js';
import { workshopRpc } from './spaces/workshop-rpc.js';
import { calendarRoutes } from './rest/calendar.js';
import { communityRoutes } from './rest/communities.js';
import { workshopRoutes } from './rest/workshops.js';
import { ideaRpc } from './spaces/idea-rpc.js';
import { sessionEvents } from './spaces/session-events.js';
import { sessionLiveRoutes } from './spaces/session-live-routes.js';
import { sessionRpc } from './spaces/session-rpc.js';
import { ideaRoutes } from './rest/ideas.js';
import { sessionRoutes } from './rest/sessions.js';

/** Every RPC, event and REST route, for tooling: the contract test, the OpenAPI generator. */
export const allRpcs: readonly RpcDef[] = [
  ...Object.values(identityRpc),
  ...Object.values(peopleRpc),
  ...Object.values(installRpc),
  ...Object.values(accountRpc),
  ...Object.values(spacesRpc),
  ...Object.values(workshopRpc),
  ...Object.values(communityRpc),
  ...Object.values(calendarRpc),
  ...Object.values(sessionRpc),
  ...Object.values(ideaRpc),
  ...Object.values(chatRpc),
  ...Object.values(forumRpc),
  ...Object.values(notificationRpc),
  ...Object.values(identityDigestRpc),
  ...Object.values(identityRecoveryRpc),
  ...Object.values(collabRpc),
  ...Object.values(pointsRpc),
];
export const allEvents: readonly EventDef[] = [
  ...Object.values(identityEvents),
  ...Object.values(recoveryEvents),
  ...Object.values(accountEvents),
  ...Object.values(spacesEvents),
  ...Object.values(workshopEvents),
  ...Object.values(sessionEvents),
  ...Object.values(chatEvents),
  ...Object.values(forumEvents),
  ...Object.values(notificationEvents),
  ...Object.values(collabEvents),
  ...Object.values(pointsEvents),
];
export const allRoutes: readonly RouteDef[] = [
  ...Object.values(identityRoutes),
  ...Object.values(recoveryRoutes),
  ...Object.values(peopleRoutes),
  ...Object.values(installRoutes),
  ...Object.values(accountRoutes),
  ...Object.values(collabRoutes),
  ...Object.values(spacesRoutes),
  ...Object.values(chatRoutes),
  ...Object.values(workshopRoutes),
  ...Object.values(communityRoutes),
  ...Object.values(calendarRoutes),
  ...Object.values(sessionRoutes),
  ...Object.values(ideaRoutes),
  ...Object.values(forumRoutes),
  ...Object.values(notificationRoutes),
  ...Object.values(pointsRoutes),
];
/** Which domain events the gateway relays to socket rooms; the live-event router reads only this. */
export const allLiveRoutes: readonly LiveRoute[] = [
  ...Object.values(identityLiveRoutes),
  ...Object.values(spacesLiveRoutes),
  ...Object.values(workshopLiveRoutes),
  ...Object.values(sessionLiveRoutes),
  ...Object.values(chatLiveRoutes),
  ...Object.values(forumLiveRoutes),
  ...Object.values(notificationLiveRoutes),
  ...Object.values(pointsLiveRoutes),
];

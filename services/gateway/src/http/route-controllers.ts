import { AccountSessionsController } from '../account-sessions/account-sessions.controller.js';
import { AdminController } from '../admin/admin.controller.js';
import { AuthController } from '../auth/auth.controller.js';
import { RecoveryController } from '../auth/recovery.controller.js';
import { CalendarController } from '../calendar/calendar.controller.js';
import { CommunitiesController } from '../communities/communities.controller.js';
import { AttachmentsController } from '../chat/attachments.controller.js';
import { ChannelsController } from '../chat/channels.controller.js';
import { MessagesController } from '../chat/messages.controller.js';
import { DocVersionsController } from '../docs/doc-versions.controller.js';
import { ForumController } from '../forum/forum.controller.js';
import { InvitationsController } from '../invitations/invitations.controller.js';
import { MeController } from '../me/me.controller.js';
import { MediaController } from '../media/media.controller.js';
import { MembersController } from '../members/members.controller.js';
import { InstallController } from '../people/install.controller.js';
import { PeopleController } from '../people/people.controller.js';
import { PresenceController } from '../presence/presence.controller.js';
import { NotificationsController } from '../notifications/notifications.controller.js';
import { PointsAdminController } from '../points/points-admin.controller.js';
import { PointsController } from '../points/points.controller.js';
import { CallsController } from '../spaces/calls.controller.js';
import { ProposalsController } from '../spaces/proposals.controller.js';
import { SpaceMembersController } from '../spaces/space-members.controller.js';
import { IdeasController } from '../sessions/ideas.controller.js';
import { ProposalFeedbackController } from '../sessions/proposal-feedback.controller.js';
import { SessionsController } from '../sessions/sessions.controller.js';
import { WorkshopsController } from '../workshops/workshops.controller.js';

/** The controllers bound to proto routes: the module mounts them, route-coverage.spec.ts checks them. */
export const routeControllers = [
  ChannelsController,
  MessagesController,
  AttachmentsController,
  PresenceController,
  AuthController,
  RecoveryController,
  MeController,
  MembersController,
  PeopleController,
  InstallController,
  InvitationsController,
  MediaController,
  AdminController,
  AccountSessionsController,
  DocVersionsController,
  CallsController,
  ProposalsController,
  SpaceMembersController,
  SessionsController,
  ProposalFeedbackController,
  IdeasController,
  WorkshopsController,
  CommunitiesController,
  CalendarController,
  ForumController,
  NotificationsController,
  PointsController,
  PointsAdminController,
];

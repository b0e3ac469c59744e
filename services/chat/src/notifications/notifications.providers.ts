import { DigestRepository } from './digest.repository.js';
import { DigestScheduler } from './digest.scheduler.js';
import { ForumNotifyHandler } from './forum-notify.handler.js';
import { IdentityMailRepository } from './identity-mail.repository.js';
import { MessageNotifyHandler } from './message-notify.handler.js';
import { NotificationHandler } from './notification.handler.js';
import { NotificationRepository } from './notification.repository.js';
import { NotificationService } from './notification.service.js';
import { NotifierService } from './notifier.service.js';
import { PreferencesRepository } from './preferences.repository.js';
import { ReminderRepository } from './reminder.repository.js';
import { ReminderScheduler } from './reminder.scheduler.js';
import { SpaceMemberRepository } from './space-member.repository.js';
import { SpaceNotifyHandler } from './space-notify.handler.js';
import { StartNotifyHandler } from './start-notify.handler.js';

/** The notifications' RPC handlers, for chat's module. */
export const notificationControllers = [NotificationHandler];

/** Repositories, services, consumers and schedulers of the notifications, for chat's module. */
export const notificationProviders = [
  // repositories: all I/O
  NotificationRepository,
  PreferencesRepository,
  SpaceMemberRepository,
  ReminderRepository,
  DigestRepository,
  IdentityMailRepository,
  // services: rules
  NotifierService,
  NotificationService,
  // consumers
  ForumNotifyHandler,
  MessageNotifyHandler,
  SpaceNotifyHandler,
  StartNotifyHandler,
  // schedulers
  ReminderScheduler,
  DigestScheduler,
];

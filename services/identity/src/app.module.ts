import { UploadRepository } from '@agora/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import { AccessTokenSigner, PlatformModule, type Clock, type Logger } from '@agora/platform';
import { AdminHandler } from './admin/admin.handler.js';
import { AdminService } from './admin/admin.service.js';
import { AdminRosterLock } from './admin/admin-roster-lock.repository.js';
import { AdminMembersRepository } from './admin/admin-members.repository.js';
import { SuspensionRepository } from './admin/suspension.repository.js';
import { AdminClaimRepository } from './auth/admin-claim.repository.js';
import { AuthHandler } from './auth/auth.handler.js';
import { AuthService } from './auth/auth.service.js';
import { CredentialsRepository } from './auth/credentials.repository.js';
import { DailyLoginRepository } from './auth/daily-login.repository.js';
import { DailyLogins } from './auth/daily-login.service.js';
import { FirstAdmin } from './auth/first-admin.service.js';
import { LoginThrottle } from './auth/login-throttle.service.js';
import { SessionEventsRepository } from './auth/session-events.repository.js';
import { SessionHandler } from './auth/session.handler.js';
import { SessionRepository } from './auth/session.repository.js';
import { SessionService } from './auth/session.service.js';
import { ThrottleRepository } from './auth/throttle.repository.js';
import { IDENTITY_CONFIG, type IdentityConfig } from './common/identity-config.js';
import { InvitationHandler } from './invitations/invitation.handler.js';
import { InvitationRepository } from './invitations/invitation.repository.js';
import { InvitationService } from './invitations/invitation.service.js';
import { MailRepository } from './mail/mail.repository.js';
import { MailTransportRepository } from './mail/mail-transport.repository.js';
import { DigestMailerHandler } from './mail/digest-mailer.handler.js';
import { DigestMailerService } from './mail/digest-mailer.service.js';
import { OnceMailer } from './mail/once-mailer.service.js';
import { PromotionMailerService } from './mail/promotion-mailer.service.js';
import { MailerHandler } from './mail/mailer.handler.js';
import { MailerService } from './mail/mailer.service.js';
import { ImageRepository } from './media/image.repository.js';
import { MediaHandler } from './media/media.handler.js';
import { MediaRepository } from './media/media.repository.js';
import { MediaService } from './media/media.service.js';
import { MemberAccess } from './members/member-access.service.js';
import { MemberRepository } from './members/member.repository.js';
import { MemberUpdates } from './members/member-updates.service.js';
import { ProfileHandler } from './members/profile.handler.js';
import { ProfileService } from './members/profile.service.js';
import { InstallHandler } from './people/install.handler.js';
import { PeopleHandler } from './people/people.handler.js';
import { PeopleRepository } from './people/people.repository.js';
import { PeopleService } from './people/people.service.js';
import { PrivacyHandler } from './privacy/privacy.handler.js';
import { PrivacyService } from './privacy/privacy.service.js';
import { AccountMailRepository } from './recovery/account-mail.repository.js';
import { AccountMailerHandler } from './recovery/account-mailer.handler.js';
import { AccountMailerService } from './recovery/account-mailer.service.js';
import { EmailVerificationRepository } from './recovery/email-verification.repository.js';
import { RecoveryHandler } from './recovery/recovery.handler.js';
import { RecoveryService } from './recovery/recovery.service.js';
import { RequestBudget } from './recovery/request-budget.service.js';

export interface IdentityModuleOptions {
  config: IdentityConfig;
  logger?: Logger;
  /** Tests replace the clock to move through days and lock windows. */
  clock?: Clock;
}

@Module({})
export class IdentityModule {
  static forRoot(options: IdentityModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: IdentityModule,
      imports: [
        PlatformModule.forRoot({
          service: 'identity',
          config,
          mongo: true,
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      ],
      controllers: [
        AuthHandler,
        RecoveryHandler,
        SessionHandler,
        ProfileHandler,
        PeopleHandler,
        InstallHandler,
        MediaHandler,
        InvitationHandler,
        AdminHandler,
        PrivacyHandler,
        DigestMailerHandler,
      ],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        // Identity alone signs access tokens; everyone verifies them with the public key.
        { provide: AccessTokenSigner, useValue: new AccessTokenSigner(config.AUTH_SIGNING_KEY) },
        // repositories: all I/O
        MemberRepository,
        PeopleRepository,
        SessionRepository,
        SessionEventsRepository,
        SuspensionRepository,
        AdminMembersRepository,
        ThrottleRepository,
        AdminClaimRepository,
        AdminRosterLock,
        DailyLoginRepository,
        CredentialsRepository,
        AccountMailRepository,
        EmailVerificationRepository,
        InvitationRepository,
        MailRepository,
        MailTransportRepository,
        MediaRepository,
        UploadRepository,
        ImageRepository,
        // services: logic
        MemberAccess,
        MemberUpdates,
        ProfileService,
        PeopleService,
        LoginThrottle,
        DailyLogins,
        FirstAdmin,
        SessionService,
        AuthService,
        RequestBudget,
        RecoveryService,
        AccountMailerService,
        AccountMailerHandler,
        InvitationService,
        MailerService,
        DigestMailerService,
        PromotionMailerService,
        OnceMailer,
        MailerHandler,
        MediaService,
        AdminService,
        PrivacyService,
      ],
    };
  }
}

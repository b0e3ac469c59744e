// Builds identity's services over the in-memory fakes: `const { sut, fakes } = identityHarness()`.
import { createLogger, type AccessTokenSigner } from '@agora/platform';
import type { AdminMembersRepository } from '../admin/admin-members.repository.js';
import type { AdminRosterLock } from '../admin/admin-roster-lock.repository.js';
import type { SuspensionRepository } from '../admin/suspension.repository.js';
import { AdminService } from '../admin/admin.service.js';
import type { AdminClaimRepository } from '../auth/admin-claim.repository.js';
import { AuthService } from '../auth/auth.service.js';
import type { CredentialsRepository } from '../auth/credentials.repository.js';
import type { DailyLoginRepository } from '../auth/daily-login.repository.js';
import { DailyLogins } from '../auth/daily-login.service.js';
import { FirstAdmin } from '../auth/first-admin.service.js';
import { LoginThrottle } from '../auth/login-throttle.service.js';
import type { SessionEventsRepository } from '../auth/session-events.repository.js';
import type { SessionRepository } from '../auth/session.repository.js';
import { SessionService } from '../auth/session.service.js';
import type { ThrottleRepository } from '../auth/throttle.repository.js';
import type { IdentityConfig } from '../common/identity-config.js';
import type { InvitationRepository } from '../invitations/invitation.repository.js';
import { InvitationService } from '../invitations/invitation.service.js';
import type { MailRecord, MailRepository } from '../mail/mail.repository.js';
import type { MediaService } from '../media/media.service.js';
import { MemberAccess } from '../members/member-access.service.js';
import type { MemberRepository } from '../members/member.repository.js';
import { MemberUpdates } from '../members/member-updates.service.js';
import { ProfileService } from '../members/profile.service.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import type { AccountMailRepository } from '../recovery/account-mail.repository.js';
import type { EmailVerificationRepository } from '../recovery/email-verification.repository.js';
import { RecoveryService } from '../recovery/recovery.service.js';
import { RequestBudget } from '../recovery/request-budget.service.js';
import { FakeAccountMails, FakeVerifications } from './recovery-fakes.js';
import {
  FakeAdminMembers,
  FakeSessionEvents,
  FakeSigner,
  FakeSuspensions,
} from './account-fakes.js';
import {
  EventLog,
  FakeAdminClaims,
  FakeAdminRosterLock,
  FakeClock,
  FakeCredentials,
  FakeDailyLogins,
  FakeInvitations,
  FakeMembers,
  FakeSessions,
  FakeThrottles,
} from './fakes.js';

export const client = { ip: '203.0.113.7', userAgent: 'vitest' };

/** Only what the services under unit test call on the mail records and media. */
class FakeMails {
  readonly deletedKeys: string[] = [];
  readonly deletedTo: string[] = [];
  readonly items: MailRecord[] = [];
  deleteByKeys(keys: readonly string[]): Promise<void> {
    this.deletedKeys.push(...keys);
    return Promise.resolve();
  }
  deleteTo(address: string): Promise<void> {
    this.deletedTo.push(address);
    return Promise.resolve();
  }
  list(offset: number, limit: number): Promise<{ total: number; items: MailRecord[] }> {
    return Promise.resolve({
      total: this.items.length,
      items: this.items.slice(offset, offset + limit),
    });
  }
}

class FakeMedia {
  readonly dropped: string[] = [];
  dropIfUnused(url: string): Promise<void> {
    this.dropped.push(url);
    return Promise.resolve();
  }
}

export function identityHarness(
  options: {
    adminEmail?: string;
    sessionMaxAgeDays?: number;
    signupConfirm?: 'mail' | 'none';
    requireVerifiedEmail?: boolean;
  } = {},
) {
  const clock = new FakeClock();
  const events = new EventLog();
  const fakes = {
    clock,
    events,
    members: new FakeMembers(events),
    sessions: new FakeSessions(),
    throttles: new FakeThrottles(),
    claims: new FakeAdminClaims(),
    roster: new FakeAdminRosterLock(),
    dailyLogins: new FakeDailyLogins(events),
    credentials: new FakeCredentials(),
    invitations: new FakeInvitations(events),
    mails: new FakeMails(),
    media: new FakeMedia(),
    accountMails: new FakeAccountMails(events),
    verifications: new FakeVerifications(),
    signer: new FakeSigner(),
    suspensions: new FakeSuspensions(events),
    sessionEvents: new FakeSessionEvents(events),
  };
  const adminMembers = new FakeAdminMembers(fakes.members);
  const config = {
    ADMIN_EMAIL: options.adminEmail,
    PUBLIC_URL: 'http://agora.test',
    MAIL_FROM: 'Agora <no-reply@agora.test>',
    SESSION_MAX_AGE_DAYS: options.sessionMaxAgeDays ?? 90,
    AUTH_SIGNUP_CONFIRM: options.signupConfirm,
    AUTH_REQUIRE_VERIFIED_EMAIL: options.requireVerifiedEmail ?? false,
  } as IdentityConfig;
  const accountMails = fakes.accountMails as unknown as AccountMailRepository;
  const verifications = fakes.verifications as unknown as EmailVerificationRepository;

  const members = fakes.members as unknown as MemberRepository;
  const credentials = fakes.credentials as unknown as CredentialsRepository;
  const invitations = fakes.invitations as unknown as InvitationRepository;
  const sessionsRepo = fakes.sessions as unknown as SessionRepository;
  const dailyRepo = fakes.dailyLogins as unknown as DailyLoginRepository;

  const access = new MemberAccess(members);
  const updates = new MemberUpdates(members, clock);
  const logger = createLogger('identity-test', 'silent');
  const throttle = new LoginThrottle(
    fakes.throttles as unknown as ThrottleRepository,
    clock,
    logger,
  );
  const dailyLogins = new DailyLogins(dailyRepo, clock);
  const firstAdmin = new FirstAdmin(
    config,
    fakes.claims as unknown as AdminClaimRepository,
    members,
    clock,
  );
  const suspensions = fakes.suspensions as unknown as SuspensionRepository;
  const sessions = new SessionService(
    sessionsRepo,
    members,
    credentials,
    fakes.signer as unknown as AccessTokenSigner,
    suspensions,
    fakes.sessionEvents as unknown as SessionEventsRepository,
    config,
    clock,
    logger,
  );
  const sut = {
    access,
    updates,
    throttle,
    dailyLogins,
    firstAdmin,
    sessions,
    auth: new AuthService(
      members,
      invitations,
      credentials,
      sessions,
      throttle,
      dailyLogins,
      firstAdmin,
      updates,
      clock,
      verifications,
    ),
    profiles: new ProfileService(access, members, updates),
    invitations: new InvitationService(access, members, invitations, credentials, clock),
    admin: new AdminService(
      access,
      members,
      updates,
      fakes.mails as unknown as MailRepository,
      fakes.roster as unknown as AdminRosterLock,
      adminMembers as unknown as AdminMembersRepository,
      suspensions,
      sessions,
      clock,
    ),
    privacy: new PrivacyService(
      access,
      members,
      updates,
      credentials,
      throttle,
      fakes.roster as unknown as AdminRosterLock,
      sessionsRepo,
      dailyRepo,
      invitations,
      fakes.mails as unknown as MailRepository,
      fakes.media as unknown as MediaService,
      clock,
      accountMails,
      verifications,
      suspensions,
    ),
  };
  const recovery = new RecoveryService(
    config,
    sut.auth,
    access,
    members,
    updates,
    credentials,
    firstAdmin,
    throttle,
    sessions,
    accountMails,
    verifications,
    new RequestBudget(fakes.throttles as unknown as ThrottleRepository, clock),
    clock,
  );
  return { sut: { ...sut, recovery }, fakes };
}

export type IdentityHarness = ReturnType<typeof identityHarness>;

let n = 0;
/** A valid registration request with a unique email. */
export function registration(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    email: `member${n}@example.org`,
    password: 'olive trees by the harbour',
    displayName: `Member ${n}`,
    country: 'TN',
    preferredLanguage: 'fr' as const,
    client,
    ...overrides,
  };
}

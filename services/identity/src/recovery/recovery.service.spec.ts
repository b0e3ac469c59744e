import { describe, expect, it } from 'vitest';
import { createLogger, RpcFailure, type AccessTokenSigner } from '@agora/platform';
import type { SuspensionRepository } from '../admin/suspension.repository.js';
import type { CredentialsRepository } from '../auth/credentials.repository.js';
import type { SessionEventsRepository } from '../auth/session-events.repository.js';
import type { SessionRepository } from '../auth/session.repository.js';
import { SessionService } from '../auth/session.service.js';
import type { MemberRepository } from '../members/member.repository.js';
import type { EmailVerificationRepository } from './email-verification.repository.js';
import { INVITATIONS_PER_DAY } from '../invitations/invitation.service.js';
import { client, identityHarness, registration } from '../testing/harness.js';
import type { AccountMailKind } from './account-mail.schema.js';

const MINUTE = 60_000;

async function failure(p: Promise<unknown>): Promise<RpcFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcFailure) return err;
    throw err;
  }
  throw new Error('expected an RpcFailure');
}

type Harness = ReturnType<typeof identityHarness>;

/** The raw token of the newest mail of `kind` to `to` (what the mailer would put in the link). */
function tokenOf(h: Harness, to: string, kind: AccountMailKind): string {
  const mail = h.fakes.accountMails.to(to, kind).at(-1);
  if (!mail?.pendingToken) throw new Error(`no ${kind} mail to ${to}`);
  return mail.pendingToken;
}

/** The session (refresh-token family) id a session's refresh token belongs to. */
function familyOf(h: Harness, refreshToken: string): string {
  const hash = h.fakes.credentials.sha256(refreshToken);
  const doc = h.fakes.sessions.docs.find((d) => d.tokenHash === hash);
  if (!doc) throw new Error('no such session');
  return doc.familyId;
}

function liveFamilies(h: Harness, memberId: string): Set<string> {
  return new Set(
    h.fakes.sessions.docs
      .filter((d) => d.memberId === memberId && !d.revokedAt)
      .map((d) => d.familyId),
  );
}

describe('password reset', () => {
  it('mails a known address a 30-minute single-use link and answers an unknown one the same', async () => {
    const h = identityHarness();
    await h.sut.auth.register(registration({ email: 'leila@example.org' }));
    await expect(
      h.sut.recovery.requestPasswordReset(' Leila@Example.org ', client),
    ).resolves.toBeUndefined();
    await expect(
      h.sut.recovery.requestPasswordReset('nobody@example.org', client),
    ).resolves.toBeUndefined();
    const [mail] = h.fakes.accountMails.to('leila@example.org', 'reset');
    expect(mail?.expiresAt.getTime()).toBe(h.fakes.clock.now().getTime() + 30 * MINUTE);
    expect(mail?.tokenHash).toBe(h.fakes.credentials.sha256(mail?.pendingToken ?? ''));
    expect(h.fakes.accountMails.to('nobody@example.org')).toHaveLength(0);
    // the bus hears only the mail's id
    expect(h.fakes.events.ofType('identity.account-mail.queued').map((e) => e.data)).toEqual([
      { mailId: mail?.id },
    ]);
  });

  it('throttles per address whether or not it has an account, and per IP', async () => {
    const h = identityHarness();
    await h.sut.auth.register(registration({ email: 'known@example.org' }));
    for (const email of ['known@example.org', 'unknown@example.org']) {
      for (let i = 0; i < 5; i += 1)
        await h.sut.recovery.requestPasswordReset(email, { ...client, ip: `198.51.100.${i}` });
      const err = await failure(
        h.sut.recovery.requestPasswordReset(email, { ...client, ip: '198.51.100.99' }),
      );
      expect(err.code).toBe('RATE_LIMITED');
      expect(err.body.details).toMatchObject({ retryAfterSeconds: 3600 });
    }
    for (let i = 0; i < 30; i += 1)
      await h.sut.recovery.requestPasswordReset(`a${i}@example.org`, {
        ...client,
        ip: '192.0.2.9',
      });
    expect(
      (
        await failure(
          h.sut.recovery.requestPasswordReset('b@example.org', { ...client, ip: '192.0.2.9' }),
        )
      ).code,
    ).toBe('RATE_LIMITED');
  });

  it('sets the password once, ends every session, and the link then never works again', async () => {
    const h = identityHarness();
    const first = await h.sut.auth.register(registration({ email: 'sam@example.org' }));
    const second = await h.sut.auth.login({
      email: 'sam@example.org',
      password: 'olive trees by the harbour',
      client,
    });
    expect(liveFamilies(h, first.user.id).size).toBe(2);
    await h.sut.recovery.requestPasswordReset('sam@example.org', client);
    const token = tokenOf(h, 'sam@example.org', 'reset');

    // a refused password does not use the link up
    expect((await failure(h.sut.recovery.resetPassword(token, 'qwerty123456', client))).code).toBe(
      'VALIDATION_FAILED',
    );
    await h.sut.recovery.resetPassword(token, 'figs and almonds at dawn', client);
    expect(liveFamilies(h, first.user.id).size).toBe(0);
    await expect(
      h.sut.auth.refresh({ refreshToken: second.refreshToken, client }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(h.fakes.events.ofType('identity.sessions.revoked').at(-1)?.data).toMatchObject({
      memberId: first.user.id,
      cause: 'credentials-changed',
    });
    const again = await failure(
      h.sut.recovery.resetPassword(token, 'another long passphrase', client),
    );
    expect(again.body.details).toEqual([
      { path: ['token'], code: 'link_invalid', message: expect.any(String) as string },
    ]);
    await expect(
      h.sut.auth.login({ email: 'sam@example.org', password: 'figs and almonds at dawn', client }),
    ).resolves.toMatchObject({ user: { id: first.user.id } });
    await expect(
      h.sut.auth.login({
        email: 'sam@example.org',
        password: 'olive trees by the harbour',
        client,
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // following the link proved the address
    await expect(h.sut.recovery.emailState(first.user.id)).resolves.toMatchObject({
      emailVerified: true,
    });
  });

  it('refuses an expired link, and a link for an address the account no longer has', async () => {
    const h = identityHarness();
    await h.sut.auth.register(registration({ email: 'late@example.org' }));
    await h.sut.recovery.requestPasswordReset('late@example.org', client);
    const token = tokenOf(h, 'late@example.org', 'reset');
    h.fakes.clock.advance(30 * MINUTE + 1);
    expect(
      (await failure(h.sut.recovery.resetPassword(token, 'figs and almonds at dawn', client))).code,
    ).toBe('VALIDATION_FAILED');
    expect(
      (
        await failure(
          h.sut.recovery.resetPassword('x'.repeat(43), 'figs and almonds at dawn', client),
        )
      ).body.details,
    ).toMatchObject([{ code: 'link_invalid' }]);
  });
});

describe('change password', () => {
  it('needs the current password, throttles guesses, and ends the other sessions only', async () => {
    const h = identityHarness();
    const here = await h.sut.auth.register(registration({ email: 'nour@example.org' }));
    await h.sut.auth.login({
      email: 'nour@example.org',
      password: 'olive trees by the harbour',
      client,
    });
    const id = here.user.id;
    const sid = familyOf(h, here.refreshToken);

    const wrong = await failure(
      h.sut.recovery.changePassword(id, sid, 'not my password', 'figs and almonds at dawn'),
    );
    expect(wrong.code).toBe('VALIDATION_FAILED');
    expect(wrong.body.details).toMatchObject([
      { path: ['currentPassword'], code: 'wrong_password' },
    ]);
    expect(liveFamilies(h, id).size).toBe(2);

    const ended = await h.sut.recovery.changePassword(
      id,
      sid,
      'olive trees by the harbour',
      'figs and almonds at dawn',
    );
    expect(ended).toBe(1);
    expect([...liveFamilies(h, id)]).toEqual([sid]);
    await expect(
      h.sut.auth.refresh({ refreshToken: here.refreshToken, client }),
    ).resolves.toBeTruthy();

    for (let i = 0; i < 5; i += 1)
      await failure(h.sut.recovery.changePassword(id, sid, 'guess', 'another long passphrase'));
    expect(
      (
        await failure(
          h.sut.recovery.changePassword(
            id,
            sid,
            'figs and almonds at dawn',
            'another long passphrase',
          ),
        )
      ).code,
    ).toBe('RATE_LIMITED');
  });

  it('refuses a weak new password and changes nothing', async () => {
    const h = identityHarness();
    const s = await h.sut.auth.register(registration({ email: 'weak@example.org' }));
    const err = await failure(
      h.sut.recovery.changePassword(
        s.user.id,
        null,
        'olive trees by the harbour',
        'weak@example.org',
      ),
    );
    expect(err.body.details).toMatchObject([{ path: ['newPassword'] }]);
    expect(h.fakes.members.docs.get(s.user.id)?.passwordHash).toBe(
      'fake-argon2:olive trees by the harbour',
    );
  });
});

describe('change email', () => {
  it('changes nothing until the link mailed to the new address is followed, then tells the old one', async () => {
    const h = identityHarness();
    const s = await h.sut.auth.register(
      registration({ email: 'old@example.org', preferredLanguage: 'el' }),
    );
    const id = s.user.id;
    expect(
      (await failure(h.sut.recovery.changeEmail(id, 'wrong password', 'new@example.org'))).code,
    ).toBe('VALIDATION_FAILED');
    await h.sut.recovery.changeEmail(id, 'olive trees by the harbour', ' New@Example.org');
    expect(h.fakes.members.docs.get(id)?.email).toBe('old@example.org');
    await expect(h.sut.recovery.emailState(id)).resolves.toMatchObject({
      email: 'old@example.org',
      pendingEmail: 'new@example.org',
    });
    const [link] = h.fakes.accountMails.to('new@example.org', 'email-change');
    expect(link).toMatchObject({ language: 'el', memberId: id });

    const token = tokenOf(h, 'new@example.org', 'email-change');
    await expect(h.sut.recovery.followEmailLink(token, client)).resolves.toEqual({
      status: 'email-changed',
      email: 'new@example.org',
    });
    expect(h.fakes.members.docs.get(id)?.email).toBe('new@example.org');
    expect(h.fakes.accountMails.to('old@example.org', 'email-changed')).toMatchObject([
      { address: 'new@example.org', language: 'el' },
    ]);
    await expect(h.sut.recovery.emailState(id)).resolves.toMatchObject({
      email: 'new@example.org',
      emailVerified: true,
      pendingEmail: null,
    });
    expect((await failure(h.sut.recovery.followEmailLink(token, client))).code).toBe(
      'VALIDATION_FAILED',
    );
    await expect(
      h.sut.auth.login({
        email: 'new@example.org',
        password: 'olive trees by the harbour',
        client,
      }),
    ).resolves.toBeTruthy();
  });

  it('answers the same for an address that has an account, whose owner alone is told', async () => {
    const h = identityHarness();
    const a = await h.sut.auth.register(registration({ email: 'a@example.org' }));
    await h.sut.auth.register(registration({ email: 'taken@example.org' }));
    await expect(
      h.sut.recovery.changeEmail(a.user.id, 'olive trees by the harbour', 'taken@example.org'),
    ).resolves.toBeUndefined();
    const mails = h.fakes.accountMails.to('taken@example.org');
    expect(mails.map((m) => [m.kind, m.pendingToken])).toEqual([['email-change-taken', null]]);
    expect(h.fakes.members.docs.get(a.user.id)?.email).toBe('a@example.org');
    expect(
      (
        await failure(
          h.sut.recovery.changeEmail(a.user.id, 'olive trees by the harbour', 'a@example.org'),
        )
      ).body.details,
    ).toMatchObject([{ code: 'same_email' }]);
  });

  it('refuses a confirmation whose address was taken meanwhile, and an older link once a newer one exists', async () => {
    const h = identityHarness();
    const a = await h.sut.auth.register(registration({ email: 'mover@example.org' }));
    await h.sut.recovery.changeEmail(a.user.id, 'olive trees by the harbour', 'first@example.org');
    const older = tokenOf(h, 'first@example.org', 'email-change');
    await h.sut.recovery.changeEmail(a.user.id, 'olive trees by the harbour', 'second@example.org');
    expect((await failure(h.sut.recovery.followEmailLink(older, client))).code).toBe(
      'VALIDATION_FAILED',
    );
    await h.sut.auth.register(registration({ email: 'second@example.org' }));
    const newer = tokenOf(h, 'second@example.org', 'email-change');
    expect((await failure(h.sut.recovery.followEmailLink(newer, client))).code).toBe('CONFLICT');
    expect(h.fakes.members.docs.get(a.user.id)?.email).toBe('mover@example.org');
  });
});

describe('email verification', () => {
  it('starts unverified, resends a link, and the link verifies once', async () => {
    const h = identityHarness();
    const s = await h.sut.recovery.signup(registration({ email: 'v@example.org' }));
    if (s.status !== 'signed-in') throw new Error('expected a session');
    const id = s.session.user.id;
    await expect(h.sut.recovery.emailState(id)).resolves.toEqual({
      email: 'v@example.org',
      emailVerified: false,
      pendingEmail: null,
      verificationRequired: false,
    });
    await h.sut.recovery.resendVerification(id);
    const token = tokenOf(h, 'v@example.org', 'verify');
    await expect(h.sut.recovery.followEmailLink(token, client)).resolves.toEqual({
      status: 'verified',
      email: 'v@example.org',
    });
    await expect(h.sut.recovery.emailState(id)).resolves.toMatchObject({ emailVerified: true });
    expect((await failure(h.sut.recovery.followEmailLink(token, client))).code).toBe(
      'VALIDATION_FAILED',
    );
    // verified: nothing more is mailed
    await h.sut.recovery.resendVerification(id);
    expect(h.fakes.accountMails.to('v@example.org', 'verify')).toHaveLength(1);
  });

  it('counts an invitation accepted through its link as verified', async () => {
    const h = identityHarness();
    const inviter = await h.sut.auth.register(registration());
    const inv = await h.sut.invitations.create(inviter.user.id, 'guest@example.org', '');
    const token = h.fakes.invitations.docs.get(inv.id)?.pendingToken ?? '';
    const joined = await h.sut.recovery.signup(
      registration({ email: 'guest@example.org', invitationToken: token }),
    );
    if (joined.status !== 'signed-in') throw new Error('expected a session');
    await expect(h.sut.recovery.emailState(joined.session.user.id)).resolves.toMatchObject({
      emailVerified: true,
    });
  });

  it('reports when the install requires a verified address', async () => {
    const h = identityHarness({ requireVerifiedEmail: true });
    const s = await h.sut.auth.register(registration());
    await expect(h.sut.recovery.emailState(s.user.id)).resolves.toMatchObject({
      verificationRequired: true,
    });
  });
});

describe('registration without telling whether an address has an account', () => {
  it('answers a known and a new address alike when sign-ups are confirmed by mail', async () => {
    const h = identityHarness({ signupConfirm: 'mail' });
    const first = await h.sut.recovery.signup(registration({ email: 'admin@example.org' }));
    // the install's first account: nobody to hide, nobody else to read mail: signed in at once
    expect(first.status).toBe('signed-in');
    const known = await h.sut.recovery.signup(
      registration({ email: 'ADMIN@example.org', displayName: 'Mallory' }),
    );
    const fresh = await h.sut.recovery.signup(registration({ email: 'new@example.org' }));
    expect(known).toEqual({ status: 'check-mail' });
    expect(fresh).toEqual(known);
    // both spent one password hash and wrote one mail
    expect(h.fakes.accountMails.to('admin@example.org').map((m) => m.kind)).toEqual([
      'signup-known',
    ]);
    expect(h.fakes.accountMails.to('new@example.org').map((m) => m.kind)).toEqual(['signup']);
    expect(h.fakes.members.docs.size).toBe(1);

    // the known address's owner can reset with the link the mail carries
    const reset = tokenOf(h, 'admin@example.org', 'signup-known');
    await h.sut.recovery.resetPassword(reset, 'figs and almonds at dawn', client);

    // the new address's link creates the account, verified, and signs it in, once
    const link = tokenOf(h, 'new@example.org', 'signup');
    const done = await h.sut.recovery.followEmailLink(link, client);
    if (done.status !== 'signed-in') throw new Error('expected a session');
    expect(done.session.user).toMatchObject({ email: 'new@example.org', role: 'member' });
    await expect(h.sut.recovery.emailState(done.session.user.id)).resolves.toMatchObject({
      emailVerified: true,
    });
    expect((await failure(h.sut.recovery.followEmailLink(link, client))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(h.fakes.members.docs.size).toBe(2);
  });

  it('signs a new address in at once without mail confirmation, and answers a known one check-mail', async () => {
    const h = identityHarness({ signupConfirm: 'none' });
    await h.sut.recovery.signup(registration({ email: 'one@example.org' }));
    const again = await h.sut.recovery.signup(registration({ email: 'one@example.org' }));
    expect(again).toEqual({ status: 'check-mail' });
    expect(h.fakes.accountMails.to('one@example.org', 'signup-known')).toHaveLength(1);
    expect(h.fakes.members.docs.size).toBe(1);
  });

  it('throttles sign-ups per address, known or not', async () => {
    const h = identityHarness({ signupConfirm: 'mail' });
    await h.sut.recovery.signup(registration({ email: 'first@example.org' }));
    for (let i = 0; i < 5; i += 1)
      await h.sut.recovery.signup(
        registration({ email: 'target@example.org', client: { ...client, ip: `10.0.0.${i}` } }),
      );
    expect(
      (await failure(h.sut.recovery.signup(registration({ email: 'target@example.org' })))).code,
    ).toBe('RATE_LIMITED');
  });

  it('finishes a sign-up link only while the address is still free', async () => {
    const h = identityHarness({ signupConfirm: 'mail' });
    await h.sut.recovery.signup(registration({ email: 'first@example.org' }));
    await h.sut.recovery.signup(registration({ email: 'twice@example.org' }));
    const a = tokenOf(h, 'twice@example.org', 'signup');
    await h.sut.recovery.signup(registration({ email: 'twice@example.org' }));
    const b = tokenOf(h, 'twice@example.org', 'signup');
    await h.sut.recovery.followEmailLink(b, client);
    expect((await failure(h.sut.recovery.followEmailLink(a, client))).code).toBe('CONFLICT');
    expect(h.fakes.members.docs.size).toBe(2);
  });
});

describe('invitations', () => {
  it('work only for the address they were sent to', async () => {
    const h = identityHarness();
    const inviter = await h.sut.auth.register(registration());
    const inv = await h.sut.invitations.create(inviter.user.id, 'invited@example.org', '');
    const token = h.fakes.invitations.docs.get(inv.id)?.pendingToken ?? '';
    const err = await failure(
      h.sut.recovery.signup(
        registration({ email: 'someone-else@example.org', invitationToken: token }),
      ),
    );
    expect(err.body.details).toMatchObject([{ path: ['email'], code: 'invitation_other_address' }]);
    expect(h.fakes.invitations.docs.get(inv.id)?.status).toBe('sent');
    await expect(
      h.sut.recovery.signup(registration({ email: 'Invited@example.org', invitationToken: token })),
    ).resolves.toMatchObject({ status: 'signed-in' });
  });

  it('count "already a member" against the daily quota', async () => {
    const h = identityHarness();
    const inviter = await h.sut.auth.register(registration({ email: 'inviter@example.org' }));
    await h.sut.auth.register(registration({ email: 'member@example.org' }));
    for (let i = 0; i < INVITATIONS_PER_DAY; i += 1)
      expect(
        (await failure(h.sut.invitations.create(inviter.user.id, 'member@example.org', ''))).code,
      ).toBe('CONFLICT');
    // the day's allowance is spent: no more answers, about members or not
    expect(
      (await failure(h.sut.invitations.create(inviter.user.id, 'member@example.org', ''))).code,
    ).toBe('RATE_LIMITED');
    expect(
      (await failure(h.sut.invitations.create(inviter.user.id, 'stranger@example.org', ''))).code,
    ).toBe('RATE_LIMITED');
  });
});

describe('access tokens when the install requires a verified address', () => {
  it('say email_verified: false until the member proves their address, and nothing otherwise', async () => {
    const h = identityHarness({ requireVerifiedEmail: true });
    const claims: Record<string, unknown>[] = [];
    const signer = {
      sign: (c: Record<string, unknown>, now = new Date()) => {
        claims.push(c);
        return Promise.resolve({ token: 'signed', expiresAt: new Date(now.getTime() + 60_000) });
      },
    };
    const sessions = new SessionService(
      h.fakes.sessions as unknown as SessionRepository,
      h.fakes.members as unknown as MemberRepository,
      h.fakes.credentials as unknown as CredentialsRepository,
      signer as unknown as AccessTokenSigner,
      h.fakes.suspensions as unknown as SuspensionRepository,
      h.fakes.sessionEvents as unknown as SessionEventsRepository,
      { SESSION_MAX_AGE_DAYS: 90, AUTH_REQUIRE_VERIFIED_EMAIL: true },
      h.fakes.clock,
      createLogger('identity-test', 'silent'),
      h.fakes.verifications as unknown as EmailVerificationRepository,
    );
    const s = await h.sut.auth.register(registration({ email: 'unproven@example.org' }));
    const member = h.fakes.members.docs.get(s.user.id);
    if (!member) throw new Error('no member');
    await sessions.issue(member, client);
    expect(claims.at(-1)).toMatchObject({ sub: member.id, emailVerified: false });
    await h.fakes.verifications.markVerified(member.id, member.email, h.fakes.clock.now());
    await sessions.issue(member, client);
    expect(claims.at(-1)).not.toHaveProperty('emailVerified');

    const relaxed = identityHarness();
    const other = await relaxed.sut.auth.register(registration());
    expect(relaxed.fakes.signer.sids.size).toBeGreaterThan(0);
    expect(other.accessToken).toBeTruthy();
  });
});

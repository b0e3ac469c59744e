import { describe, expect, it } from 'vitest';
import { RpcFailure } from '@agora/platform';
import { client, identityHarness, registration } from '../testing/harness.js';
import { LOGIN_FAILED } from './auth.service.js';

async function failure(p: Promise<unknown>): Promise<RpcFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcFailure) return err;
    throw err;
  }
  throw new Error('expected an RpcFailure');
}

describe('AuthService.register', () => {
  it('normalises the email, hashes the password and records member.registered in the same write', async () => {
    const { sut, fakes } = identityHarness();
    const session = await sut.auth.register(registration({ email: '  Leila.Haddad@Example.ORG ' }));
    expect(session.user.email).toBe('leila.haddad@example.org');
    const stored = [...fakes.members.docs.values()][0];
    expect(stored?.passwordHash).toBe('fake-argon2:olive trees by the harbour');
    expect(fakes.events.ofType('identity.member.registered')).toHaveLength(1);
    expect(fakes.events.entries[0]?.doc).toBe(stored?.id);
  });

  it('refuses a second account for the same address, whatever its case', async () => {
    const { sut, fakes } = identityHarness();
    await sut.auth.register(registration({ email: 'sam@example.org' }));
    const err = await failure(sut.auth.register(registration({ email: 'SAM@example.org' })));
    expect(err.code).toBe('CONFLICT');
    expect(fakes.members.docs.size).toBe(1);
  });

  it('refuses a common password with VALIDATION_FAILED and stores nothing', async () => {
    const { sut, fakes } = identityHarness();
    const err = await failure(sut.auth.register(registration({ password: 'qwerty123456' })));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.body.details).toEqual([
      { path: ['password'], code: 'common', message: expect.any(String) as string },
    ]);
    expect(fakes.members.docs.size).toBe(0);
    expect(fakes.claims.holder).toBeNull();
    expect(fakes.events.entries).toHaveLength(0);
  });

  it('makes the first account admin and the following ones members', async () => {
    const { sut } = identityHarness();
    const first = await sut.auth.register(registration());
    const second = await sut.auth.register(registration());
    expect(first.user.role).toBe('admin');
    expect(second.user.role).toBe('member');
  });

  it('gives the admin claim back when the registration that took it fails', async () => {
    const { sut, fakes } = identityHarness();
    await sut.auth.register(registration({ email: 'race@example.org' }));
    fakes.claims.holder = null; // as if the install were fresh
    // The pre-check misses the account (a concurrent registration): the unique email index decides.
    fakes.members.findActiveByEmail = () => Promise.resolve(null);
    const err = await failure(sut.auth.register(registration({ email: 'race@example.org' })));
    expect(err.code).toBe('CONFLICT');
    expect(fakes.claims.holder).toBeNull();
    expect(fakes.events.ofType('identity.member.registered')).toHaveLength(1);
  });

  it('signs in at once and records the day', async () => {
    const { sut, fakes } = identityHarness();
    const session = await sut.auth.register(registration({ timeZone: 'Asia/Amman' }));
    expect(session.accessToken).toContain(session.user.id);
    expect(new Date(session.refreshExpiresAt).getTime() - fakes.clock.now().getTime()).toBe(
      30 * 24 * 3600 * 1000,
    );
    expect(fakes.events.ofType('identity.daily-login.recorded')).toHaveLength(1);
  });
});

describe('AuthService.login', () => {
  it('answers unknown email and wrong password with the same error, and verifies a dummy hash for unknown accounts', async () => {
    const { sut, fakes } = identityHarness();
    await sut.auth.register(registration({ email: 'known@example.org' }));
    const wrong = await failure(
      sut.auth.login({ email: 'known@example.org', password: 'not the password', client }),
    );
    const unknown = await failure(
      sut.auth.login({ email: 'nobody@example.org', password: 'not the password', client }),
    );
    expect(wrong.body).toEqual({ code: 'UNAUTHENTICATED', message: LOGIN_FAILED });
    expect(unknown.body).toEqual(wrong.body);
    expect(fakes.credentials.dummyVerifications).toBe(1);
    expect(fakes.credentials.realVerifications).toBe(1);
  });

  it('accepts the email in any case and with spaces', async () => {
    const { sut } = identityHarness();
    await sut.auth.register(registration({ email: 'nour@example.org' }));
    const session = await sut.auth.login({
      email: ' NOUR@example.org ',
      password: 'olive trees by the harbour',
      client,
    });
    expect(session.user.email).toBe('nour@example.org');
  });

  it('upgrades a hash made with older parameters on a successful sign-in', async () => {
    const { sut, fakes } = identityHarness();
    const { user } = await sut.auth.register(registration({ email: 'old@example.org' }));
    const stored = fakes.members.docs.get(user.id);
    if (stored) stored.passwordHash = 'old-scheme:olive trees by the harbour';
    await sut.auth.login({
      email: 'old@example.org',
      password: 'olive trees by the harbour',
      client,
    });
    expect(fakes.members.docs.get(user.id)?.passwordHash).toBe(
      'fake-argon2:olive trees by the harbour',
    );
    expect(fakes.events.ofType('identity.profile.updated')).toHaveLength(0);
  });

  it('locks the account from one address after five failures with growing delays, even with the right password', async () => {
    const { sut, fakes } = identityHarness();
    await sut.auth.register(registration({ email: 'target@example.org' }));
    const attempt = (password: string, ip = '198.51.100.1') =>
      sut.auth.login({ email: 'target@example.org', password, client: { ip, userAgent: 'x' } });
    for (let i = 0; i < 5; i += 1)
      expect((await failure(attempt('wrong password!'))).code).toBe('UNAUTHENTICATED');

    // Locked for 2 s from that address, whatever the password.
    const locked = await failure(attempt('olive trees by the harbour'));
    expect(locked.code).toBe('RATE_LIMITED');
    expect(locked.body.details).toEqual({ retryAfterSeconds: 2 });

    fakes.clock.advance(2_000);
    expect((await failure(attempt('wrong password!'))).code).toBe('UNAUTHENTICATED');
    expect((await failure(attempt('olive trees by the harbour'))).body.details).toEqual({
      retryAfterSeconds: 4,
    });

    fakes.clock.advance(4_000);
    const session = await attempt('olive trees by the harbour');
    expect(session.user.email).toBe('target@example.org');
    // success forgets the account's failures
    expect((await failure(attempt('wrong password!'))).code).toBe('UNAUTHENTICATED');
  });

  it("never locks the owner out from their own address: another's failures only lock theirs", async () => {
    const { sut } = identityHarness();
    await sut.auth.register(registration({ email: 'victim@example.org' }));
    const from = (ip: string, password: string) =>
      sut.auth.login({ email: 'victim@example.org', password, client: { ip, userAgent: 'x' } });
    for (let i = 0; i < 10; i += 1) await failure(from('203.0.113.66', 'wrong password!'));
    expect((await failure(from('203.0.113.66', 'olive trees by the harbour'))).code).toBe(
      'RATE_LIMITED',
    );
    const session = await from('198.51.100.7', 'olive trees by the harbour');
    expect(session.user.email).toBe('victim@example.org');
  });

  it('only delays, briefly, an account guessed at from many addresses', async () => {
    const { sut, fakes } = identityHarness();
    await sut.auth.register(registration({ email: 'spread@example.org' }));
    const from = (ip: string, password: string) =>
      sut.auth.login({ email: 'spread@example.org', password, client: { ip, userAgent: 'x' } });
    for (let i = 0; i < 60; i += 1) await failure(from(`203.0.113.${i}`, 'wrong password!'));
    const delayed = await failure(from('198.51.100.7', 'olive trees by the harbour'));
    expect(delayed.code).toBe('RATE_LIMITED');
    expect(
      (delayed.body.details as { retryAfterSeconds: number }).retryAfterSeconds,
    ).toBeLessThanOrEqual(30);
    fakes.clock.advance(30_000);
    const session = await from('198.51.100.7', 'olive trees by the harbour');
    expect(session.user.email).toBe('spread@example.org');
  });

  it('locks the same way for an address that has no account (no enumeration through locks)', async () => {
    const { sut } = identityHarness();
    for (let i = 0; i < 5; i += 1) {
      await failure(
        sut.auth.login({ email: 'ghost@example.org', password: 'whatever it is', client }),
      );
    }
    const err = await failure(
      sut.auth.login({ email: 'ghost@example.org', password: 'whatever it is', client }),
    );
    expect(err.body.details).toEqual({ retryAfterSeconds: 2 });
  });

  it('throttles one IP trying many accounts', async () => {
    const { sut } = identityHarness();
    const ip = { ip: '198.51.100.200', userAgent: 'bot' };
    for (let i = 0; i < 20; i += 1) {
      await failure(
        sut.auth.login({
          email: `victim${i}@example.org`,
          password: 'guess guess guess',
          client: ip,
        }),
      );
    }
    const err = await failure(
      sut.auth.login({ email: 'fresh@example.org', password: 'guess guess guess', client: ip }),
    );
    expect(err.code).toBe('RATE_LIMITED');
  });
});

describe('refresh tokens', () => {
  it('rotates on every refresh: the new token works, the old one is spent', async () => {
    const { sut, fakes } = identityHarness();
    const s1 = await sut.auth.register(registration());
    const s2 = await sut.auth.refresh({ refreshToken: s1.refreshToken, client });
    expect(s2.refreshToken).not.toBe(s1.refreshToken);
    const s3 = await sut.auth.refresh({ refreshToken: s2.refreshToken, client });
    expect(s3.user.id).toBe(s1.user.id);
    // stored hashed, never in clear
    expect(fakes.sessions.docs.some((d) => d.tokenHash === s3.refreshToken)).toBe(false);
    expect(new Set(fakes.sessions.docs.map((d) => d.familyId)).size).toBe(1);
  });

  it('revokes the whole family when a rotated token is presented again', async () => {
    const { sut, fakes } = identityHarness();
    const s1 = await sut.auth.register(registration());
    const s2 = await sut.auth.refresh({ refreshToken: s1.refreshToken, client });
    const other = await sut.auth.login({
      email: s1.user.email,
      password: 'olive trees by the harbour',
      client,
    });

    const reuse = await failure(sut.auth.refresh({ refreshToken: s1.refreshToken, client }));
    expect(reuse.code).toBe('UNAUTHENTICATED');
    expect(reuse.message).toMatch(/already used/);
    // the legitimate holder of the newest token is signed out too
    expect((await failure(sut.auth.refresh({ refreshToken: s2.refreshToken, client }))).code).toBe(
      'UNAUTHENTICATED',
    );
    // a separate sign-in (another family) is untouched
    await expect(
      sut.auth.refresh({ refreshToken: other.refreshToken, client }),
    ).resolves.toBeTruthy();
    const familyId = fakes.sessions.docs.find(
      (d) => d.tokenHash === fakes.credentials.sha256(s1.refreshToken),
    )?.familyId;
    const family = fakes.sessions.docs.filter((d) => d.familyId === familyId);
    expect(family).toHaveLength(2);
    expect(family.every((d) => d.revokedAt !== null)).toBe(true);
  });

  it('lets only one of two simultaneous refreshes with the same token win', async () => {
    const { sut } = identityHarness();
    const s1 = await sut.auth.register(registration());
    const results = await Promise.allSettled([
      sut.auth.refresh({ refreshToken: s1.refreshToken, client }),
      sut.auth.refresh({ refreshToken: s1.refreshToken, client }),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('expires refresh tokens after 30 days', async () => {
    const { sut, fakes } = identityHarness();
    const s1 = await sut.auth.register(registration());
    fakes.clock.advance(30 * 24 * 3600 * 1000 + 1);
    expect(
      (await failure(sut.auth.refresh({ refreshToken: s1.refreshToken, client }))).message,
    ).toMatch(/expired/);
  });

  it('refuses unknown tokens and ends the family on logout', async () => {
    const { sut } = identityHarness();
    expect((await failure(sut.auth.refresh({ refreshToken: 'made-up', client }))).code).toBe(
      'UNAUTHENTICATED',
    );
    const s1 = await sut.auth.register(registration());
    const s2 = await sut.auth.refresh({ refreshToken: s1.refreshToken, client });
    await expect(sut.auth.logout({ refreshToken: s2.refreshToken })).resolves.toEqual({ ok: true });
    expect((await failure(sut.auth.refresh({ refreshToken: s2.refreshToken, client }))).code).toBe(
      'UNAUTHENTICATED',
    );
    // logging out twice, or with garbage, is fine
    await expect(sut.auth.logout({ refreshToken: s2.refreshToken })).resolves.toEqual({ ok: true });
    await expect(sut.auth.logout({ refreshToken: 'garbage' })).resolves.toEqual({ ok: true });
  });

  it('puts the current role in the new access token', async () => {
    const { sut } = identityHarness();
    const admin = await sut.auth.register(registration());
    const member = await sut.auth.register(registration());
    await sut.admin.setRole(admin.user.id, member.user.id, 'facilitator');
    const next = await sut.auth.refresh({ refreshToken: member.refreshToken, client });
    expect(next.accessToken).toBe(`access:${member.user.id}:facilitator`);
  });
});

import { describe, expect, it } from 'vitest';
import { client, identityHarness, registration } from '../testing/harness.js';
import { LOGIN_FAILED } from '../auth/auth.service.js';
import { erasedEmail } from './privacy.service.js';

const PASSWORD = 'olive trees by the harbour';

async function setup() {
  const h = identityHarness();
  const admin = await h.sut.auth.register(registration());
  const member = await h.sut.auth.register(
    registration({ email: 'amal@example.org', timeZone: 'Asia/Hebron' }),
  );
  const id = member.user.id;
  await h.sut.profiles.update(id, {
    bio: 'Olive oil cooperative',
    organisation: 'Nablus Coop',
    sector: 'civil-society',
  });
  await h.sut.updates.apply(id, () => ({
    changes: {
      avatarUrl: `/api/media/${'a'.repeat(64)}`,
      coverUrl: `/api/media/${'b'.repeat(64)}`,
    },
    events: [],
  }));
  await h.sut.invitations.create(id, 'friend@example.org', 'Join us!');
  return { ...h, admin, member, id };
}

describe('PrivacyService.export', () => {
  it('gives the member all their personal data', async () => {
    const { sut, fakes, id } = await setup();
    fakes.clock.advance(60_000);
    await sut.auth.login({
      email: 'amal@example.org',
      password: PASSWORD,
      client: { ip: '192.0.2.5', userAgent: 'Firefox' },
    });
    const data = await sut.privacy.export(id);
    expect(data.account).toMatchObject({
      email: 'amal@example.org',
      bio: 'Olive oil cooperative',
      timeZone: 'Asia/Hebron',
    });
    expect(data.invitationsSent).toEqual([
      expect.objectContaining({ email: 'friend@example.org', message: 'Join us!' }),
    ]);
    expect(data.sessions).toHaveLength(2);
    expect(data.sessions[0]).toMatchObject({ ip: '192.0.2.5', userAgent: 'Firefox' });
    expect(data.dailyLogins).toHaveLength(1);
  });
});

describe('PrivacyService.delete', () => {
  it('requires the password', async () => {
    const { sut, fakes, id } = await setup();
    await expect(sut.privacy.delete(id, 'not my password')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(fakes.members.docs.get(id)?.status).toBe('active');
  });

  it('erases personal data, keeps an anonymous record, revokes sessions and emits member.deleted', async () => {
    const { sut, fakes, id, member } = await setup();
    await expect(sut.privacy.delete(id, PASSWORD)).resolves.toEqual({ ok: true });
    const left = fakes.members.docs.get(id);
    expect(left).toMatchObject({
      email: erasedEmail(id),
      passwordHash: '',
      displayName: '',
      bio: '',
      organisation: '',
      sector: null,
      avatarUrl: null,
      coverUrl: null,
      timeZone: 'UTC',
      status: 'deleted',
    });
    expect(left?.email).toMatch(/@deleted\.invalid$/);
    expect(fakes.sessions.docs.filter((d) => d.memberId === id)).toHaveLength(0);
    expect(fakes.dailyLogins.docs.filter((d) => d.memberId === id)).toHaveLength(0);
    expect([...fakes.invitations.docs.values()].filter((i) => i.inviterId === id)).toHaveLength(0);
    expect(fakes.mails.deletedKeys).toHaveLength(1);
    expect(fakes.media.dropped).toEqual([
      `/api/media/${'a'.repeat(64)}`,
      `/api/media/${'b'.repeat(64)}`,
    ]);
    expect(fakes.events.ofType('identity.member.deleted').map((e) => e.data)).toEqual([
      { memberId: id },
    ]);

    // the old refresh token is dead, and signing in fails exactly like an unknown account
    await expect(
      sut.auth.refresh({ refreshToken: member.refreshToken, client }),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(
      sut.auth.login({ email: 'amal@example.org', password: PASSWORD, client }),
    ).rejects.toMatchObject({
      body: { code: 'UNAUTHENTICATED', message: LOGIN_FAILED },
    });
    // and the address is free for a new account
    const again = await sut.auth.register(registration({ email: 'amal@example.org' }));
    expect(again.user.id).not.toBe(id);
  });

  it('refuses to delete the last admin', async () => {
    const { sut, admin } = await setup();
    await expect(sut.privacy.delete(admin.user.id, PASSWORD)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

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
    expect(fakes.mails.deletedTo).toEqual(['amal@example.org']);
    expect(fakes.events.ofType('identity.member.deleted').map((e) => e.data)).toEqual([
      { memberId: id },
    ]);
    // no event of this member (the stream keeps them forever) carries their personal data
    const published = JSON.stringify(fakes.events.entries.map((e) => e.event));
    for (const personal of ['amal@example.org', 'Olive oil', 'Nablus Coop', 'friend@example.org'])
      expect(published).not.toContain(personal);
    expect(published).not.toContain(member.user.displayName);

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

  it('forgets the address in invitations others sent the member, and every mail to it', async () => {
    const h = identityHarness();
    const admin = await h.sut.auth.register(registration());
    const inviterId = admin.user.id;
    await h.sut.invitations.create(inviterId, 'amal.work@example.org', 'Join the Nablus pilot');
    await h.sut.invitations.create(inviterId, 'amal@example.org', 'Or here');
    await h.sut.invitations.create(inviterId, 'omar@example.org', 'And you');
    const byAddress = (email: string) =>
      [...h.fakes.invitations.docs.values()].find((i) => i.email === email);
    const work = byAddress('amal.work@example.org');
    const home = byAddress('amal@example.org');
    const other = byAddress('omar@example.org');
    // she registers with the link sent to her work address, then moves the account to her home one
    const member = await h.sut.auth.register(
      registration({ email: 'amal.work@example.org', invitationToken: work?.pendingToken }),
    );
    const id = member.user.id;
    expect(h.fakes.invitations.docs.get(work!.id)?.acceptedMemberId).toBe(id);
    await h.sut.recovery.changeEmail(id, PASSWORD, 'amal@example.org');
    const change = h.fakes.accountMails.to('amal@example.org', 'email-change')[0];
    await h.sut.recovery.followEmailLink(change?.pendingToken ?? '', client);
    const accountMails = [...h.fakes.accountMails.docs.keys()];
    expect(accountMails).toHaveLength(2); // the confirmation link and the notice to the old address

    await h.sut.privacy.delete(id, PASSWORD);
    for (const erased of [work!, home!]) {
      expect(h.fakes.invitations.docs.get(erased.id)).toMatchObject({
        inviterId,
        email: erasedEmail(id),
        pendingToken: null,
      });
    }
    // the inviter's other invitations are theirs, untouched
    expect(h.fakes.invitations.docs.get(other!.id)?.email).toBe('omar@example.org');
    expect(h.fakes.mails.deletedKeys.sort()).toEqual(
      [
        `invitation:${work!.id}`,
        `invitation:${home!.id}`,
        ...accountMails.map((m) => `account:${m}`),
      ].sort(),
    );
    expect(h.fakes.accountMails.docs.size).toBe(0);
    expect(h.fakes.verifications.docs.has(id)).toBe(false);
    expect(h.fakes.mails.deletedTo).toEqual(['amal@example.org']);
    // the inviter still sees they invited someone, not whom
    const list = await h.sut.privacy.export(inviterId);
    expect(list.invitationsSent.map((i) => i.email).sort()).toEqual(
      [erasedEmail(id), erasedEmail(id), 'omar@example.org'].sort(),
    );
  });

  it('drops the images the account showed when it was erased, also one set during the deletion', async () => {
    const { sut, fakes, id } = await setup();
    const later = `/api/media/${'c'.repeat(64)}`;
    // the avatar changes after the deletion read the account, before it erased it
    const password = fakes.credentials.verifyPassword.bind(fakes.credentials);
    fakes.credentials.verifyPassword = async (hash, plain) => {
      const ok = await password(hash, plain);
      await sut.updates.apply(id, () => ({ changes: { avatarUrl: later }, events: [] }));
      return ok;
    };
    await sut.privacy.delete(id, PASSWORD);
    expect(fakes.media.dropped).toEqual([later, `/api/media/${'b'.repeat(64)}`]);
  });

  it('refuses to delete the last admin', async () => {
    const { sut, admin } = await setup();
    await expect(sut.privacy.delete(admin.user.id, PASSWORD)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

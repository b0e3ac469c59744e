import { describe, expect, it } from 'vitest';
import { identityHarness, registration } from '../testing/harness.js';

describe('AdminService', () => {
  it('refuses members and facilitators, checking the current role in the database', async () => {
    const { sut } = identityHarness();
    const admin = await sut.auth.register(registration());
    const member = await sut.auth.register(registration());
    for (const call of [
      () => sut.admin.listMembers(member.user.id, { offset: 0, limit: 10 }),
      () => sut.admin.setRole(member.user.id, member.user.id, 'admin'),
      () => sut.admin.mailbox(member.user.id, { offset: 0, limit: 10 }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    // a second admin demoted: their (still valid) token no longer opens admin operations
    await sut.admin.setRole(admin.user.id, member.user.id, 'admin');
    await expect(
      sut.admin.listMembers(member.user.id, { offset: 0, limit: 10 }),
    ).resolves.toMatchObject({ total: 2 });
    await sut.admin.setRole(admin.user.id, member.user.id, 'member');
    await expect(
      sut.admin.listMembers(member.user.id, { offset: 0, limit: 10 }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('changes roles with role.changed, not at all when unchanged, and never demotes the last admin', async () => {
    const { sut, fakes } = identityHarness();
    const admin = await sut.auth.register(registration());
    const member = await sut.auth.register(registration());
    const changed = await sut.admin.setRole(admin.user.id, member.user.id, 'facilitator');
    expect(changed.role).toBe('facilitator');
    await sut.admin.setRole(admin.user.id, member.user.id, 'facilitator');
    expect(fakes.events.ofType('identity.role.changed').map((e) => e.data)).toEqual([
      { memberId: member.user.id, role: 'facilitator', previous: 'member' },
    ]);
    await expect(sut.admin.setRole(admin.user.id, admin.user.id, 'member')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(sut.admin.setRole(admin.user.id, 'a'.repeat(24), 'member')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('never leaves no admin when two admins demote each other at the same moment', async () => {
    const { sut, fakes } = identityHarness();
    const first = await sut.auth.register(registration());
    const second = await sut.auth.register(registration());
    await sut.admin.setRole(first.user.id, second.user.id, 'admin');
    const results = await Promise.allSettled([
      sut.admin.setRole(first.user.id, second.user.id, 'member'),
      sut.admin.setRole(second.user.id, first.user.id, 'member'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: expect.stringMatching(/^(CONFLICT|FORBIDDEN)$/) as string },
    });
    expect(await fakes.members.countActiveAdmins()).toBe(1);
  });

  it('never leaves no admin when an admin deletes their account while demoting the other', async () => {
    const { sut, fakes } = identityHarness();
    const first = await sut.auth.register(registration());
    const second = await sut.auth.register(registration());
    await sut.admin.setRole(first.user.id, second.user.id, 'admin');
    await Promise.allSettled([
      sut.admin.setRole(first.user.id, second.user.id, 'member'),
      sut.privacy.delete(first.user.id, registration().password),
    ]);
    expect(await fakes.members.countActiveAdmins()).toBe(1);
  });

  it('lists members with their emails, paged', async () => {
    const { sut } = identityHarness();
    const admin = await sut.auth.register(registration());
    for (let i = 0; i < 4; i += 1) await sut.auth.register(registration());
    const page = await sut.admin.listMembers(admin.user.id, { offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]?.email).toMatch(/@example\.org$/);
  });
});

describe('AdminService: suspension and the members page', () => {
  const login = (h: ReturnType<typeof identityHarness>, r: ReturnType<typeof registration>) =>
    h.sut.auth.login({ email: r.email, password: r.password, client: r.client });

  it('suspends a member: sign-in and refresh refused with the reason, sessions ended, event', async () => {
    const h = identityHarness();
    const admin = await h.sut.auth.register(registration());
    const reg = registration();
    const member = await h.sut.auth.register(reg);
    const other = await login(h, reg);

    const view = await h.sut.admin.suspend(admin.user.id, member.user.id, 'spam in the forum');
    expect(view).toMatchObject({
      status: 'suspended',
      suspension: {
        reason: 'spam in the forum',
        by: { id: admin.user.id, displayName: admin.user.displayName },
      },
    });
    expect(h.fakes.events.ofType('identity.member.suspended').map((e) => e.data)).toEqual([
      { memberId: member.user.id },
    ]);
    const [revoked] = h.fakes.events.ofType('identity.sessions.revoked').map((e) => e.data);
    expect(revoked).toMatchObject({ memberId: member.user.id, cause: 'suspended' });
    expect((revoked as { sessionIds: string[] }).sessionIds).toHaveLength(2);

    const refused = {
      code: 'ACCOUNT_SUSPENDED',
      body: { details: { reason: 'spam in the forum' } },
    };
    await expect(login(h, reg)).rejects.toMatchObject(refused);
    // A tab refreshing its (ended) session hears why: suspended, with the reason.
    for (const refreshToken of [member.refreshToken, other.refreshToken])
      await expect(h.sut.auth.refresh({ refreshToken, client: reg.client })).rejects.toMatchObject(
        refused,
      ); // A wrong password learns nothing of the suspension.
    await expect(
      h.sut.auth.login({
        email: reg.email,
        password: 'not the password at all',
        client: reg.client,
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    await expect(h.sut.admin.suspend(admin.user.id, member.user.id, 'again')).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );
    const back = await h.sut.admin.reinstate(admin.user.id, member.user.id, 'appeal accepted');
    expect(back).toMatchObject({ status: 'active', suspension: null });
    expect(h.fakes.events.ofType('identity.member.reinstated')).toHaveLength(1);
    await expect(login(h, reg)).resolves.toMatchObject({ user: { id: member.user.id } });
    await expect(
      h.sut.admin.reinstate(admin.user.id, member.user.id, 'twice'),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // Deleting the account erases the suspension's record too (an admin's words about them).
    await h.sut.privacy.delete(member.user.id, reg.password);
    expect(h.fakes.suspensions.docs.has(member.user.id)).toBe(false);
  });

  it('refuses to suspend oneself, an admin, an unknown member, or as a non-admin', async () => {
    const h = identityHarness();
    const admin = await h.sut.auth.register(registration());
    const second = await h.sut.auth.register(registration());
    const member = await h.sut.auth.register(registration());
    await h.sut.admin.setRole(admin.user.id, second.user.id, 'admin');
    await expect(h.sut.admin.suspend(admin.user.id, admin.user.id, 'oops')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(h.sut.admin.suspend(admin.user.id, second.user.id, 'rival')).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );
    await expect(
      h.sut.admin.suspend(admin.user.id, 'f'.repeat(24), 'nobody'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      h.sut.admin.reinstate(admin.user.id, 'f'.repeat(24), 'nobody'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      h.sut.admin.suspend(member.user.id, second.user.id, 'revenge'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      h.sut.admin.reinstate(member.user.id, member.user.id, 'self-service'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(h.fakes.events.ofType('identity.member.suspended')).toEqual([]);
  });

  it('finds members by name or email, by status and by inviter, naming who invited whom', async () => {
    const h = identityHarness();
    const admin = await h.sut.auth.register(registration({ displayName: 'Amira Haddad' }));
    const nadia = await h.sut.auth.register(
      registration({ displayName: 'Nadia Saleh', email: 'nadia@medtown.example' }),
    );
    const yannis = await h.sut.auth.register(registration({ displayName: 'Yannis Pappas' }));
    // Nadia invited Yannis.
    const doc = h.fakes.members.docs.get(yannis.user.id);
    if (doc) doc.invitedBy = nadia.user.id;
    await h.sut.admin.suspend(admin.user.id, yannis.user.id, 'off-topic posts');
    const page = { offset: 0, limit: 10 };

    const bySearch = await h.sut.admin.listMembers(admin.user.id, page, {
      q: 'SALEH',
      status: 'all',
    });
    expect(bySearch.items.map((m) => m.id)).toEqual([nadia.user.id]);
    const byEmail = await h.sut.admin.listMembers(admin.user.id, page, {
      q: 'medtown',
      status: 'all',
    });
    expect(byEmail.items.map((m) => m.id)).toEqual([nadia.user.id]);
    const suspended = await h.sut.admin.listMembers(admin.user.id, page, { status: 'suspended' });
    expect(suspended.items).toMatchObject([
      {
        id: yannis.user.id,
        status: 'suspended',
        suspension: { reason: 'off-topic posts' },
        invitedBy: { id: nadia.user.id, displayName: 'Nadia Saleh' },
      },
    ]);
    const active = await h.sut.admin.listMembers(admin.user.id, page, { status: 'active' });
    expect(active.items.map((m) => m.id)).toEqual([admin.user.id, nadia.user.id]);
    const invited = await h.sut.admin.listMembers(admin.user.id, page, {
      status: 'all',
      invitedBy: nadia.user.id,
    });
    expect(invited).toMatchObject({ total: 1, items: [{ id: yannis.user.id }] });
    // A pattern's special characters are literal.
    expect(
      (await h.sut.admin.listMembers(admin.user.id, page, { q: '.*', status: 'all' })).total,
    ).toBe(0);
  });
});

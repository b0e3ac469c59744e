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

import { describe, expect, it } from 'vitest';
import { identityHarness, registration } from '../testing/harness.js';
import { ABANDONED_CLAIM_MS } from './first-admin.service.js';

describe('FirstAdmin', () => {
  it('makes exactly one of many simultaneous first registrations admin', async () => {
    const { sut } = identityHarness();
    const sessions = await Promise.all(
      Array.from({ length: 8 }, () => sut.auth.register(registration())),
    );
    expect(sessions.filter((s) => s.user.role === 'admin')).toHaveLength(1);
  });

  it('with ADMIN_EMAIL, only that address becomes admin, whenever it registers', async () => {
    const { sut, fakes } = identityHarness({ adminEmail: 'boss@example.org' });
    const first = await sut.auth.register(registration());
    const boss = await sut.auth.register(registration({ email: ' Boss@Example.org' }));
    expect(first.user.role).toBe('member');
    expect(boss.user.role).toBe('admin');
    expect(fakes.claims.holder).toBeNull();
  });

  it('takes over a claim left by a registration that crashed before creating its member', async () => {
    const { sut, fakes } = identityHarness();
    fakes.claims.holder = { memberId: 'f'.repeat(24), claimedAt: fakes.clock.now() };
    // within the grace period the claim is respected (that registration may still be running)
    expect((await sut.auth.register(registration())).user.role).toBe('member');
    fakes.clock.advance(ABANDONED_CLAIM_MS + 1);
    const next = await sut.auth.register(registration());
    expect(next.user.role).toBe('admin');
    expect(fakes.claims.holder?.memberId).toBe(next.user.id);
  });

  it('never takes over a claim whose member exists (even deleted)', async () => {
    const { sut, fakes } = identityHarness();
    const first = await sut.auth.register(registration());
    await sut.auth.register(registration()); // a second admin-to-be so the first may leave
    await sut.admin.setRole(first.user.id, [...fakes.members.docs.keys()][1] ?? '', 'admin');
    await sut.privacy.delete(first.user.id, 'olive trees by the harbour');
    fakes.clock.advance(ABANDONED_CLAIM_MS + 1);
    expect((await sut.auth.register(registration())).user.role).toBe('member');
  });
});

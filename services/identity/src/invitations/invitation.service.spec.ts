import { describe, expect, it } from 'vitest';
import { client, identityHarness, registration } from '../testing/harness.js';
import { INVITATIONS_PER_DAY } from './invitation.service.js';

describe('InvitationService', () => {
  it('stores the token hashed, keeps the raw one only for the mailer, and puts only ids on the bus', async () => {
    const { sut, fakes } = identityHarness();
    const { user } = await sut.auth.register(registration());
    const inv = await sut.invitations.create(
      user.id,
      ' Friend@Example.org ',
      'Come co-design with us',
    );
    expect(inv).toMatchObject({ email: 'friend@example.org', status: 'sent', acceptedAt: null });
    const stored = fakes.invitations.docs.get(inv.id);
    expect(stored?.pendingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored?.tokenHash).toBe(fakes.credentials.sha256(stored?.pendingToken ?? ''));
    expect(fakes.events.ofType('identity.invitation.sent').map((e) => e.data)).toEqual([
      { invitationId: inv.id, inviterId: user.id },
    ]);
  });

  it('links the accounts when the invitee registers with the token, once', async () => {
    const { sut, fakes } = identityHarness();
    const inviter = await sut.auth.register(registration({ displayName: 'Yannis' }));
    const inv = await sut.invitations.create(inviter.user.id, 'new@example.org', 'hello');
    const token = fakes.invitations.docs.get(inv.id)?.pendingToken ?? '';
    await expect(sut.invitations.lookup(token)).resolves.toEqual({
      inviterName: 'Yannis',
      email: 'new@example.org',
      message: 'hello',
    });
    const invitee = await sut.auth.register(
      registration({ email: 'new@example.org', invitationToken: token }),
    );
    expect(fakes.members.docs.get(invitee.user.id)?.invitedBy).toBe(inviter.user.id);
    expect(fakes.events.ofType('identity.invitation.accepted').map((e) => e.data)).toEqual([
      { invitationId: inv.id, inviterId: inviter.user.id, memberId: invitee.user.id },
    ]);
    expect(fakes.events.ofType('identity.member.registered').at(-1)?.data).toMatchObject({
      invitedBy: inviter.user.id,
    });
    expect((await sut.invitations.list(inviter.user.id))[0]).toMatchObject({ status: 'accepted' });
    // used: the link no longer works
    await expect(sut.invitations.lookup(token)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      sut.auth.register(registration({ email: 'other@example.org', invitationToken: token })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses self-invitations, members, repeats of an open invitation, and more than the daily cap', async () => {
    const { sut, fakes } = identityHarness();
    const a = await sut.auth.register(registration({ email: 'a@example.org' }));
    await sut.auth.register(registration({ email: 'b@example.org' }));
    await expect(sut.invitations.create(a.user.id, 'a@example.org', '')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(sut.invitations.create(a.user.id, 'b@example.org', '')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await sut.invitations.create(a.user.id, 'c@example.org', '');
    await expect(sut.invitations.create(a.user.id, 'C@example.org', '')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // the "already a member" answer cost one of the day's invitations (b), as c did
    for (let i = 2; i < INVITATIONS_PER_DAY; i += 1)
      await sut.invitations.create(a.user.id, `x${i}@example.org`, '');
    const capped = sut.invitations.create(a.user.id, 'one-too-many@example.org', '');
    await expect(capped).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await capped.catch((err: { body: { details: { retryAfterSeconds: number } } }) => {
      expect(err.body.details.retryAfterSeconds).toBeGreaterThan(0);
    });
    fakes.clock.advance(24 * 3600 * 1000);
    await expect(
      sut.invitations.create(a.user.id, 'next-day@example.org', ''),
    ).resolves.toBeTruthy();
  });

  it('lets the link work again when the registration that used it never wrote its account', async () => {
    const { sut, fakes } = identityHarness();
    const a = await sut.auth.register(registration());
    const inv = await sut.invitations.create(a.user.id, 'retry@example.org', '');
    const token = fakes.invitations.docs.get(inv.id)?.pendingToken ?? '';
    // a registration claimed it and stopped before writing the account
    await fakes.invitations.accept(inv.id, 'e'.repeat(24), fakes.clock.now());
    const retry = () =>
      sut.auth.register(registration({ email: 'retry@example.org', invitationToken: token }));
    await expect(retry()).rejects.toMatchObject({ code: 'VALIDATION_FAILED' }); // it may still be running
    fakes.clock.advance(61_000);
    const joined = await retry();
    expect(fakes.invitations.docs.get(inv.id)).toMatchObject({
      status: 'accepted',
      acceptedMemberId: joined.user.id,
    });
    expect(fakes.members.docs.get(joined.user.id)?.invitedBy).toBe(a.user.id);
  });

  it('rejects expired links', async () => {
    const { sut, fakes } = identityHarness();
    const a = await sut.auth.register(registration());
    const inv = await sut.invitations.create(a.user.id, 'late@example.org', '');
    const token = fakes.invitations.docs.get(inv.id)?.pendingToken ?? '';
    fakes.clock.advance(15 * 24 * 3600 * 1000);
    await expect(sut.invitations.lookup(token)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      sut.auth.register({ ...registration(), invitationToken: token, client }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { VerifiedActor } from '@agora/platform';
import { identityHarness, registration, type IdentityHarness } from '../testing/harness.js';

const DAY = 24 * 3600 * 1000;
const firefox = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const android =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

/** Signs the member in from a device and answers the actor its access token names. */
async function signIn(h: IdentityHarness, email: string, password: string, userAgent: string) {
  const session = await h.sut.auth.login({
    email,
    password,
    client: { ip: '203.0.113.9', userAgent },
  });
  const sid = h.fakes.signer.sids.get(session.accessToken);
  const actor: VerifiedActor = {
    memberId: session.user.id,
    role: session.user.role,
    sessionId: sid ?? null,
  };
  return { session, actor, sid };
}

function revokedEvents(h: IdentityHarness) {
  return h.fakes.events
    .ofType('identity.sessions.revoked')
    .map((e) => e.data as { memberId: string; sessionIds: string[]; cause: string });
}

describe('SessionService', () => {
  it('names each sign-in in its access token (sid) and keeps it across refreshes', async () => {
    const h = identityHarness();
    const reg = registration();
    await h.sut.auth.register(reg);
    const { session, sid } = await signIn(h, reg.email, reg.password, firefox);
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    const next = await h.sut.auth.refresh({
      refreshToken: session.refreshToken,
      client: reg.client,
    });
    expect(h.fakes.signer.sids.get(next.accessToken)).toBe(sid);
  });

  it('ends a sign-in at its absolute lifetime however often it is refreshed', async () => {
    const h = identityHarness({ sessionMaxAgeDays: 90 });
    const reg = registration();
    await h.sut.auth.register(reg);
    let { session } = await signIn(h, reg.email, reg.password, firefox);
    // Refreshed every 20 days: each refresh token would live 30 days, but never past day 90.
    for (let day = 20; day < 90; day += 20) {
      h.fakes.clock.advance(20 * DAY);
      session = await h.sut.auth.refresh({
        refreshToken: session.refreshToken,
        client: reg.client,
      });
    }
    expect(Date.parse(session.refreshExpiresAt)).toBe(
      Date.parse('2026-06-01T10:00:00Z') + 90 * DAY,
    );
    h.fakes.clock.advance(10 * DAY + 1); // day 90 and a bit
    await expect(
      h.sut.auth.refresh({ refreshToken: session.refreshToken, client: reg.client }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('bounds tokens issued before the lifetime existed (a refresh token reaching past it)', async () => {
    const h = identityHarness({ sessionMaxAgeDays: 90 });
    const reg = registration();
    await h.sut.auth.register(reg);
    const { session } = await signIn(h, reg.email, reg.password, firefox);
    // A token an older version stored: 30 days from day 85 of its family.
    const doc = h.fakes.sessions.docs.at(-1);
    if (!doc) throw new Error('no session stored');
    doc.familyCreatedAt = new Date(doc.createdAt.getTime() - 85 * DAY);
    doc.expiresAt = new Date(doc.createdAt.getTime() + 30 * DAY);
    h.fakes.clock.advance(6 * DAY);
    await expect(
      h.sut.auth.refresh({ refreshToken: session.refreshToken, client: reg.client }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: /maximum age/ });
    expect(
      h.fakes.sessions.docs.filter((d) => d.familyId === doc.familyId && !d.revokedAt),
    ).toEqual([]);
  });

  it('lists the devices signed in (browser and system from the user agent), this one marked', async () => {
    const h = identityHarness();
    const reg = registration({ client: { ip: '203.0.113.7', userAgent: 'vitest' } });
    await h.sut.auth.register(reg);
    const laptop = await signIn(h, reg.email, reg.password, firefox);
    h.fakes.clock.advance(60_000);
    const phone = await signIn(h, reg.email, reg.password, android);
    h.fakes.clock.advance(60_000);
    await h.sut.auth.refresh({
      refreshToken: laptop.session.refreshToken,
      client: { ip: '203.0.113.9', userAgent: firefox },
    });

    const list = await h.sut.sessions.list(phone.actor);
    expect(list).toHaveLength(3); // registration, laptop, phone
    const byId = new Map(list.map((s) => [s.id, s]));
    expect(byId.get(phone.sid ?? '')).toMatchObject({
      browser: 'Chrome 126',
      os: 'Android 14',
      device: 'mobile',
      current: true,
    });
    const laptopRow = byId.get(laptop.sid ?? '');
    expect(laptopRow).toMatchObject({
      browser: 'Firefox 128',
      os: 'Ubuntu',
      device: 'desktop',
      current: false,
    });
    // Last seen at its refresh, created at its sign-in, ending 90 days after the sign-in.
    expect(Date.parse(laptopRow?.lastSeenAt ?? '')).toBeGreaterThan(
      Date.parse(laptopRow?.createdAt ?? ''),
    );
    expect(Date.parse(laptopRow?.endsAt ?? '')).toBe(
      Date.parse(laptopRow?.createdAt ?? '') + 90 * DAY,
    );
    // Newest activity first; unknown agents give empty names.
    expect(list[0]?.id).toBe(laptop.sid);
    expect(list.at(-1)).toMatchObject({ browser: '', os: '', device: 'unknown' });
  });

  it('revokes one session: its refresh token is refused, the event names it, others stay', async () => {
    const h = identityHarness();
    const reg = registration();
    await h.sut.auth.register(reg);
    const laptop = await signIn(h, reg.email, reg.password, firefox);
    const phone = await signIn(h, reg.email, reg.password, android);

    await h.sut.sessions.revoke(laptop.actor, phone.sid ?? '');
    await expect(
      h.sut.auth.refresh({ refreshToken: phone.session.refreshToken, client: reg.client }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(
      h.sut.auth.refresh({ refreshToken: laptop.session.refreshToken, client: reg.client }),
    ).resolves.toMatchObject({ user: { id: laptop.actor.memberId } });
    expect(revokedEvents(h)).toEqual([
      { memberId: laptop.actor.memberId, sessionIds: [phone.sid], cause: 'revoked' },
    ]);
    // Gone now, and another member's session is not found either (no probing).
    await expect(h.sut.sessions.revoke(laptop.actor, phone.sid ?? '')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const other = registration();
    await h.sut.auth.register(other);
    const stranger = await signIn(h, other.email, other.password, firefox);
    await expect(h.sut.sessions.revoke(laptop.actor, stranger.sid ?? '')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await h.sut.sessions.list(stranger.actor)).map((s) => s.id)).toContain(stranger.sid);
  });

  it('revokes every other session, keeping the one that asked', async () => {
    const h = identityHarness();
    const reg = registration();
    const first = await h.sut.auth.register(reg);
    const laptop = await signIn(h, reg.email, reg.password, firefox);
    const phone = await signIn(h, reg.email, reg.password, android);

    expect(await h.sut.sessions.revokeOthers(laptop.actor)).toBe(2);
    expect((await h.sut.sessions.list(laptop.actor)).map((s) => s.id)).toEqual([laptop.sid]);
    for (const refreshToken of [first.refreshToken, phone.session.refreshToken])
      await expect(h.sut.auth.refresh({ refreshToken, client: reg.client })).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    const [event] = revokedEvents(h);
    expect(event?.sessionIds).toHaveLength(2);
    expect(event?.sessionIds).not.toContain(laptop.sid);
    // Nothing else to end: no event, zero.
    expect(await h.sut.sessions.revokeOthers(laptop.actor)).toBe(0);
    expect(revokedEvents(h)).toHaveLength(1);
    // A token without a session id cannot say which one is "this one".
    await expect(
      h.sut.sessions.revokeOthers({ ...laptop.actor, sessionId: null }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('ends every session of a member (password reset) or all but one (password change)', async () => {
    const h = identityHarness();
    const reg = registration();
    await h.sut.auth.register(reg);
    const laptop = await signIn(h, reg.email, reg.password, firefox);
    await signIn(h, reg.email, reg.password, android);
    expect(
      await h.sut.sessions.endAllOf(laptop.actor.memberId, 'credentials-changed', laptop.sid),
    ).toBe(2);
    expect((await h.sut.sessions.list(laptop.actor)).map((s) => s.id)).toEqual([laptop.sid]);
    expect(await h.sut.sessions.endAllOf(laptop.actor.memberId, 'credentials-changed')).toBe(1);
    expect(await h.sut.sessions.list(laptop.actor)).toEqual([]);
    expect(revokedEvents(h).map((e) => e.cause)).toEqual([
      'credentials-changed',
      'credentials-changed',
    ]);
  });

  it('changes nothing when the revocation cannot be announced (the caller retries)', async () => {
    const h = identityHarness();
    const reg = registration();
    await h.sut.auth.register(reg);
    const laptop = await signIn(h, reg.email, reg.password, firefox);
    const phone = await signIn(h, reg.email, reg.password, android);
    h.fakes.sessionEvents.failNext = true;
    await expect(h.sut.sessions.revoke(laptop.actor, phone.sid ?? '')).rejects.toThrow(/NATS/);
    expect((await h.sut.sessions.list(laptop.actor)).map((s) => s.id)).toContain(phone.sid);
    await h.sut.sessions.revoke(laptop.actor, phone.sid ?? '');
    expect((await h.sut.sessions.list(laptop.actor)).map((s) => s.id)).not.toContain(phone.sid);
  });

  it('announces a sign-out and a detected refresh-token reuse', async () => {
    const h = identityHarness();
    const reg = registration();
    await h.sut.auth.register(reg);
    const laptop = await signIn(h, reg.email, reg.password, firefox);
    await h.sut.auth.logout({ refreshToken: laptop.session.refreshToken });
    const phone = await signIn(h, reg.email, reg.password, android);
    await h.sut.auth.refresh({ refreshToken: phone.session.refreshToken, client: reg.client });
    await expect(
      h.sut.auth.refresh({ refreshToken: phone.session.refreshToken, client: reg.client }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(revokedEvents(h)).toEqual([
      { memberId: laptop.actor.memberId, sessionIds: [laptop.sid], cause: 'signed-out' },
      { memberId: laptop.actor.memberId, sessionIds: [phone.sid], cause: 'reused' },
    ]);
  });
});

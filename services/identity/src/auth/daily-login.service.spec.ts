import { describe, expect, it } from 'vitest';
import { client, identityHarness, registration } from '../testing/harness.js';

describe('daily login', () => {
  it('records the first sign-in of each calendar day once, in the member time zone', async () => {
    const { sut, fakes } = identityHarness();
    fakes.clock.set('2026-11-22T20:00:00Z'); // 21:00 in Tunis
    const s = await sut.auth.register(
      registration({ timeZone: 'Africa/Tunis', email: 'tz@example.org' }),
    );
    const login = () =>
      sut.auth.login({ email: 'tz@example.org', password: 'olive trees by the harbour', client });

    fakes.clock.set('2026-11-22T22:30:00Z'); // 23:30 in Tunis: same day
    await login();
    fakes.clock.set('2026-11-22T23:10:00Z'); // 00:10 on the 23rd in Tunis (still the 22nd in UTC)
    await sut.auth.refresh({ refreshToken: s.refreshToken, client });
    await login();

    const recorded = fakes.events.ofType('identity.daily-login.recorded').map((e) => e.data);
    expect(recorded).toEqual([
      { memberId: s.user.id, day: '2026-11-22', timeZone: 'Africa/Tunis' },
      { memberId: s.user.id, day: '2026-11-23', timeZone: 'Africa/Tunis' },
    ]);
  });

  it('uses the zone the browser reports when it sends one', async () => {
    const { sut, fakes } = identityHarness();
    fakes.clock.set('2026-03-10T03:00:00Z');
    const s = await sut.auth.register(registration({ email: 'ny@example.org' })); // profile zone: UTC
    fakes.clock.set('2026-03-11T02:00:00Z'); // 22:00 on the 10th in New York, the 11th in UTC
    await sut.auth.login({
      email: 'ny@example.org',
      password: 'olive trees by the harbour',
      timeZone: 'America/New_York',
      client,
    });
    expect(fakes.events.ofType('identity.daily-login.recorded').map((e) => e.data)).toEqual([
      { memberId: s.user.id, day: '2026-03-10', timeZone: 'UTC' },
    ]);
    await sut.auth.login({
      email: 'ny@example.org',
      password: 'olive trees by the harbour',
      client,
    });
    expect(fakes.events.ofType('identity.daily-login.recorded').at(-1)?.data).toEqual({
      memberId: s.user.id,
      day: '2026-03-11',
      timeZone: 'UTC',
    });
  });
});

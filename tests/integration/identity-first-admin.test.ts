// On a fresh install exactly one of several simultaneous registrations becomes admin (the singleton
// claim document's unique _id decides), and simultaneous sign-ins of one member on one day record
// the daily login once (the unique (memberId, day) index decides) — both against the real store.
import { identityEvents, identityRpc } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  eventually,
  identityStream,
  newMember,
  PASSWORD,
  startIdentity,
  type IdentityFixture,
} from './identity-fixture.js';

let fx: IdentityFixture;

beforeAll(async () => {
  fx = await startIdentity('identity_first_admin');
});

afterAll(async () => {
  await fx?.stop();
});

describe('races decided by the store', () => {
  it('makes exactly one of eight simultaneous first registrations admin', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 8 }, () => fx.rpc.call(identityRpc.register, newMember())),
    );
    expect(sessions.filter((s) => s.user.role === 'admin')).toHaveLength(1);
    expect(await fx.db.collection('install').countDocuments()).toBe(1);
  });

  it('records one daily login for many simultaneous sign-ins and refreshes', async () => {
    const m = newMember({ timeZone: 'Africa/Tunis' });
    const s = await fx.rpc.call(identityRpc.register, m);
    await Promise.all([
      ...Array.from({ length: 4 }, () =>
        fx.rpc.call(identityRpc.login, { email: m.email, password: PASSWORD, client }),
      ),
      fx.rpc.call(identityRpc.refresh, { refreshToken: s.refreshToken, client }),
    ]);
    expect(
      await fx.db.collection('daily_logins').countDocuments({ timeZone: 'Africa/Tunis' }),
    ).toBe(1);
    await eventually(async () => {
      const days = (await identityStream(fx.bus)).filter(
        (e) =>
          e.type === identityEvents.dailyLoginRecorded.type &&
          (e.data as { memberId: string }).memberId === s.user.id,
      );
      expect(days).toHaveLength(1);
    });
  });
});

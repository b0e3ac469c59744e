// On a fresh install exactly one of several simultaneous registrations becomes admin (the singleton
// claim document's unique _id decides), and simultaneous sign-ins of one member on one day record
// the daily login once (the unique (memberId, day) index decides), and admins removing each other at
// the same moment never leave the install without one (the roster lease decides) — against the real store.
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

  it('keeps an admin when admins demote each other and delete their accounts at the same moment', async () => {
    // the install's admin (the first registration, here or in the test above)
    const existing = await fx.db.collection('members').findOne({ role: 'admin', status: 'active' });
    const first =
      existing?._id.toString() ?? (await fx.rpc.call(identityRpc.register, newMember())).user.id;
    const second = (await fx.rpc.call(identityRpc.register, newMember())).user.id;
    await fx.rpc.call(
      identityRpc.roleSet,
      { memberId: second, role: 'admin' },
      { actorToken: await fx.tokenFor(first) },
    );
    const results = await Promise.allSettled([
      fx.rpc.call(
        identityRpc.roleSet,
        { memberId: second, role: 'member' },
        { actorToken: await fx.tokenFor(first) },
      ),
      fx.rpc.call(
        identityRpc.roleSet,
        { memberId: first, role: 'member' },
        { actorToken: await fx.tokenFor(second) },
      ),
      fx.rpc.call(
        identityRpc.meDelete,
        { password: PASSWORD },
        { actorToken: await fx.tokenFor(first) },
      ),
      fx.rpc.call(
        identityRpc.meDelete,
        { password: PASSWORD },
        { actorToken: await fx.tokenFor(second) },
      ),
    ]);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(
      await fx.db.collection('members').countDocuments({ role: 'admin', status: 'active' }),
    ).toBe(1);
    // the lease is given back every time, failed or not
    expect(await fx.db.collection('locks').countDocuments()).toBe(0);
  });

  it('takes over a lease its crashed holder left, and waits out a live one with UNAVAILABLE', async () => {
    const admin = await fx.db.collection('members').findOne({ role: 'admin', status: 'active' });
    const adminToken = await fx.tokenFor(admin!._id.toString(), 'admin');
    const target = (await fx.rpc.call(identityRpc.register, newMember())).user.id;
    const locks = fx.db.collection<{ _id: string; token: string; until: Date }>('locks');
    await locks.insertOne({
      _id: 'admin-roster',
      token: 'crashed',
      until: new Date(Date.now() - 1),
    });
    await expect(
      fx.rpc.call(
        identityRpc.roleSet,
        { memberId: target, role: 'facilitator' },
        { actorToken: adminToken },
      ),
    ).resolves.toMatchObject({ role: 'facilitator' });
    expect(await locks.countDocuments()).toBe(0);
    await locks.insertOne({
      _id: 'admin-roster',
      token: 'busy',
      until: new Date(Date.now() + 60_000),
    });
    await expect(
      fx.rpc.call(
        identityRpc.roleSet,
        { memberId: target, role: 'member' },
        { actorToken: adminToken },
      ),
    ).rejects.toMatchObject({
      body: { code: 'UNAVAILABLE', message: expect.stringContaining('role change') as string },
    });
    // nothing changed, and the live holder's lease is untouched
    expect(
      (await fx.rpc.call(identityRpc.memberGet, { memberId: target }, { actorToken: adminToken }))
        .role,
    ).toBe('facilitator');
    expect(await locks.findOne({ _id: 'admin-roster' })).toMatchObject({ token: 'busy' });
    await locks.deleteMany({});
  }, 20_000);

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

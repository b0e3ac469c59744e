// Identity over a real nats-server and the embedded store: sessions (register, login, refresh with
// rotation and family revocation, logout), duplicate and bad input changing nothing, admin-only
// RPCs, and every state change's event landing in AGORA_IDENTITY exactly once.
import { RpcCallError } from '@agora/platform';
import { identityEvents, identityRpc, type Session } from '@agora/proto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  eventually,
  identityStream,
  newMember,
  PASSWORD,
  rawCall,
  startIdentity,
  type IdentityFixture,
} from './identity-fixture.js';

let fx: IdentityFixture;
let admin: Session;

beforeAll(async () => {
  fx = await startIdentity('identity_auth');
  admin = await fx.rpc.call(identityRpc.register, newMember({ email: 'first@example.org' }));
});

afterAll(async () => {
  await fx?.stop();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcCallError) return err.body.code;
    throw err;
  }
  return 'OK';
}

function memberCount(): Promise<number> {
  return fx.db.collection('members').countDocuments();
}

describe('sessions', () => {
  it('the first account is admin; register answers a full session', () => {
    expect(admin.user.role).toBe('admin');
    expect(admin.user.email).toBe('first@example.org');
    expect(admin.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ttl = new Date(admin.accessExpiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });

  it('logs in with the normalised email, refreshes with rotation, logs out', async () => {
    const reg = newMember({ email: 'Mixed.Case@Example.org' });
    await fx.rpc.call(identityRpc.register, reg);
    const s1 = await fx.rpc.call(identityRpc.login, {
      email: ' mixed.case@EXAMPLE.org',
      password: PASSWORD,
      client,
    });
    expect(s1.user.email).toBe('mixed.case@example.org');
    const s2 = await fx.rpc.call(identityRpc.refresh, { refreshToken: s1.refreshToken, client });
    expect(s2.refreshToken).not.toBe(s1.refreshToken);
    expect(s2.user.id).toBe(s1.user.id);
    // only the hash is stored
    const stored = await fx.db
      .collection('sessions')
      .find({ tokenHash: s2.refreshToken })
      .toArray();
    expect(stored).toHaveLength(0);
    await expect(
      fx.rpc.call(identityRpc.logout, { refreshToken: s2.refreshToken }),
    ).resolves.toEqual({ ok: true });
    expect(
      await codeOf(fx.rpc.call(identityRpc.refresh, { refreshToken: s2.refreshToken, client })),
    ).toBe('UNAUTHENTICATED');
  });

  it('revokes the whole family when a rotated refresh token is reused', async () => {
    const s1 = await fx.rpc.call(identityRpc.register, newMember());
    const s2 = await fx.rpc.call(identityRpc.refresh, { refreshToken: s1.refreshToken, client });
    const s3 = await fx.rpc.call(identityRpc.refresh, { refreshToken: s2.refreshToken, client });
    // s1 was copied by a thief and is replayed now
    const reuse = fx.rpc.call(identityRpc.refresh, { refreshToken: s1.refreshToken, client });
    await expect(reuse).rejects.toMatchObject({ body: { code: 'UNAUTHENTICATED' } });
    // the newest token of that family is dead too
    expect(
      await codeOf(fx.rpc.call(identityRpc.refresh, { refreshToken: s3.refreshToken, client })),
    ).toBe('UNAUTHENTICATED');
    const family = await fx.db
      .collection('sessions')
      .find({ memberId: { $exists: true } })
      .toArray();
    const mine = family.filter((d) => String(d.memberId) === s1.user.id);
    expect(mine).toHaveLength(3);
    expect(mine.every((d) => d.revokedAt instanceof Date)).toBe(true);
  });

  it('ends a sign-in at its absolute lifetime (SESSION_MAX_AGE_DAYS) however recently refreshed', async () => {
    const s1 = await fx.rpc.call(identityRpc.register, newMember());
    const DAY = 24 * 3600 * 1000;
    const sessions = fx.db.collection('sessions');
    const memberId = new ObjectId(s1.user.id);
    // The sign-in was 89 days ago: the next refresh token lives one day, not thirty.
    await sessions.updateMany(
      { memberId },
      { $set: { familyCreatedAt: new Date(Date.now() - 89 * DAY) } },
    );
    const s2 = await fx.rpc.call(identityRpc.refresh, { refreshToken: s1.refreshToken, client });
    const left = Date.parse(s2.refreshExpiresAt) - Date.now();
    expect(left).toBeGreaterThan(DAY - 60_000);
    expect(left).toBeLessThanOrEqual(DAY);
    // Past day 90 (a stored token reaching further, as one issued before the limit): refused.
    await sessions.updateMany(
      { memberId },
      {
        $set: {
          familyCreatedAt: new Date(Date.now() - 90 * DAY - 1),
          expiresAt: new Date(Date.now() + 20 * DAY),
        },
      },
    );
    await expect(
      fx.rpc.call(identityRpc.refresh, { refreshToken: s2.refreshToken, client }),
    ).rejects.toMatchObject({ body: { code: 'UNAUTHENTICATED', message: /maximum age/ } });
    expect(
      (await sessions.find({ memberId }).toArray()).every((d) => d.revokedAt instanceof Date),
    ).toBe(true);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const m = newMember();
    await fx.rpc.call(identityRpc.register, m);
    const errorOf = async (email: string) => {
      try {
        await fx.rpc.call(identityRpc.login, {
          email,
          password: 'definitely not it',
          client: { ...client, ip: '192.0.2.44' },
        });
      } catch (err) {
        return (err as RpcCallError).body;
      }
      throw new Error('login succeeded');
    };
    const wrong = await errorOf(m.email);
    const unknown = await errorOf('nobody-here@example.org');
    expect(wrong).toEqual({ code: 'UNAUTHENTICATED', message: 'email or password is incorrect' });
    expect(unknown).toEqual(wrong);
  });

  it('throttles an account after five failures with retryAfterSeconds', async () => {
    const m = newMember();
    await fx.rpc.call(identityRpc.register, m);
    for (let i = 0; i < 5; i += 1) {
      expect(
        await codeOf(
          fx.rpc.call(identityRpc.login, { email: m.email, password: 'wrong password!', client }),
        ),
      ).toBe('UNAUTHENTICATED');
    }
    const locked = fx.rpc.call(identityRpc.login, { email: m.email, password: PASSWORD, client });
    await expect(locked).rejects.toMatchObject({
      body: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 2 } },
    });
  });
});

describe('bad input', () => {
  it('refuses a duplicate email (any case) and keeps one account', async () => {
    const m = newMember({ email: 'dup@example.org' });
    await fx.rpc.call(identityRpc.register, m);
    const before = await memberCount();
    expect(
      await codeOf(fx.rpc.call(identityRpc.register, { ...m, email: 'DUP@example.org ' })),
    ).toBe('CONFLICT');
    expect(await memberCount()).toBe(before);
  });

  it('refuses malformed payloads with VALIDATION_FAILED and changes nothing', async () => {
    const before = await memberCount();
    const eventsBefore = (await identityStream(fx.bus)).length;
    const good = newMember();
    const bad: unknown[] = [
      { ...good, email: 'not-an-email' },
      { ...good, password: 'short' },
      { ...good, country: 'Tunisia' },
      { ...good, role: 'admin' }, // unknown field: nobody registers as admin
      { ...good, email: { $ne: null } },
      { ...good, client: undefined },
      'register me',
      null,
    ];
    for (const payload of bad) {
      const reply = await rawCall(fx.bus, identityRpc.register.subject, payload);
      expect(reply.err?.code).toBe('VALIDATION_FAILED');
    }
    const common = await rawCall(fx.bus, identityRpc.register.subject, {
      ...good,
      password: 'qwerty123456',
    });
    expect(common.err).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: ['password'], code: 'common' }],
    });
    const patch = await rawCall(
      fx.bus,
      identityRpc.meUpdate.subject,
      { patch: { $set: { role: 'x' } } },
      admin.accessToken,
    );
    expect(patch.err?.code).toBe('VALIDATION_FAILED');
    expect(await memberCount()).toBe(before);
    expect((await identityStream(fx.bus)).length).toBe(eventsBefore);
  });
});

describe('roles', () => {
  it('admin-only RPCs refuse members and facilitators, and follow role changes at once', async () => {
    const m = await fx.rpc.call(identityRpc.register, newMember());
    const page = { offset: 0, limit: 10 };
    const adminOnly = () => [
      fx.rpc.call(identityRpc.memberList, { page }, { actorToken: m.accessToken }),
      fx.rpc.call(
        identityRpc.roleSet,
        { memberId: m.user.id, role: 'admin' },
        { actorToken: m.accessToken },
      ),
      fx.rpc.call(identityRpc.mailboxList, { page }, { actorToken: m.accessToken }),
    ];
    // All three at once, each with its handler attached before any can reject.
    expect(await Promise.all(adminOnly().map(codeOf))).toEqual(Array(3).fill('FORBIDDEN'));

    await fx.rpc.call(
      identityRpc.roleSet,
      {
        memberId: m.user.id,
        role: 'facilitator',
      },
      { actorToken: admin.accessToken },
    );
    // All three at once, each with its handler attached before any can reject.
    expect(await Promise.all(adminOnly().map(codeOf))).toEqual(Array(3).fill('FORBIDDEN'));

    const promoted = await fx.rpc.call(
      identityRpc.roleSet,
      {
        memberId: m.user.id,
        role: 'admin',
      },
      { actorToken: admin.accessToken },
    );
    expect(promoted.role).toBe('admin');
    const list = await fx.rpc.call(identityRpc.memberList, { page }, { actorToken: m.accessToken });
    expect(list.items.map((i) => i.email)).toContain('first@example.org');

    // demoted again: a token they still hold says admin, the database does not
    const stillAdmin = await fx.tokenFor(m.user.id, 'admin');
    await fx.rpc.call(
      identityRpc.roleSet,
      {
        memberId: m.user.id,
        role: 'member',
      },
      { actorToken: admin.accessToken },
    );
    expect(
      await codeOf(fx.rpc.call(identityRpc.memberList, { page }, { actorToken: stillAdmin })),
    ).toBe('FORBIDDEN');
  });
});

describe('events', () => {
  it('puts each state change on AGORA_IDENTITY exactly once, even when the relay re-publishes', async () => {
    const s = await fx.rpc.call(identityRpc.register, newMember({ timeZone: 'Europe/Athens' }));
    const id = s.user.id;
    await fx.rpc.call(
      identityRpc.meUpdate,
      {
        patch: { bio: 'Bio', organisation: 'Org' },
      },
      { actorToken: s.accessToken },
    );
    await fx.rpc.call(
      identityRpc.meUpdate,
      {
        patch: { bio: 'Bio', organisation: 'Org' },
      },
      { actorToken: s.accessToken },
    ); // no change
    await fx.rpc.call(identityRpc.refresh, { refreshToken: s.refreshToken, client }); // same day: no second daily login

    const mine = async () =>
      (await identityStream(fx.bus)).filter(
        (e) => (e.data as { memberId?: string }).memberId === id,
      );
    const seen = await eventually(async () => {
      const events = await mine();
      expect(events.map((e) => e.type).sort()).toEqual(
        [
          identityEvents.dailyLoginRecorded.type,
          identityEvents.memberRegistered.type,
          identityEvents.profileUpdated.type,
        ].sort(),
      );
      return events;
    });
    expect(seen.find((e) => e.type === identityEvents.profileUpdated.type)?.data).toEqual({
      memberId: id,
      fields: ['bio', 'organisation'],
    });
    expect(seen.find((e) => e.type === identityEvents.dailyLoginRecorded.type)?.data).toMatchObject(
      {
        timeZone: 'Europe/Athens',
      },
    );

    // A crash between publish and removal leaves the entry in the outbox: put one back, as if.
    const registered = seen.find((e) => e.type === identityEvents.memberRegistered.type);
    const members = fx.db.collection<{ _id: unknown; outbox: unknown[] }>('members');
    const doc = await members.findOne({ email: s.user.email });
    await members.updateOne(
      { _id: doc?._id },
      { $push: { outbox: { _id: registered?.id, def: registered?.type, envelope: registered } } },
    );
    await eventually(async () => {
      const again = await members.findOne({ _id: doc?._id });
      expect(again?.outbox).toEqual([]);
    });
    expect(
      (await mine()).filter((e) => e.type === identityEvents.memberRegistered.type),
    ).toHaveLength(1);
    // and every event id in the whole stream is unique
    const all = await identityStream(fx.bus);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  });
});

// The actor of a member RPC comes from a verified access token, never from the payload: on a real
// nats-server with the real identity service and store, hand-made `agora.identity.role.set` requests
// naming an admin — in the payload, or in a token signed with another key, or in an expired token —
// are refused and change nothing (no role, no event); a member's own valid token is checked against
// their current role. Through the gateway, the same change made by the admin works.
import { AccessTokenSigner } from '@agora/platform';
import { testAccessKeys } from '@agora/platform/testing';
import { identityRpc, type Session } from '@agora/proto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshIp, startTestGateway, type TestGateway } from './gateway-fixture.js';
import {
  identityStream,
  newMember,
  rawCall,
  startIdentity,
  type IdentityFixture,
} from './identity-fixture.js';

let fx: IdentityFixture;
let gw: TestGateway;
let admin: Session;
let member: Session;

beforeAll(async () => {
  fx = await startIdentity('identity_actor_token');
  // The gateway is given the public key only: it verifies, it cannot sign.
  gw = await startTestGateway({ NATS_URL: fx.nats.url, AUTH_PUBLIC_KEY: fx.keys.publicKey });
  admin = await fx.rpc.call(identityRpc.register, newMember()); // the first account: admin
  member = await fx.rpc.call(identityRpc.register, newMember());
});

afterAll(async () => {
  await gw?.stop();
  await fx?.stop();
});

const roleSet = identityRpc.roleSet.subject;
const roleOf = async (id: string) =>
  (await fx.db.collection('members').findOne({ _id: new ObjectId(id) }))?.role as
    string | undefined;
const roleEvents = async () =>
  (await identityStream(fx.bus)).filter((e) => e.type === 'identity.role.changed').length;

describe('a forged role change is refused and changes nothing', () => {
  it('with the admin’s id in the payload and no token', async () => {
    expect(admin.user.role).toBe('admin');
    const before = await roleEvents();
    const reply = await rawCall(fx.bus, roleSet, {
      actorId: admin.user.id,
      memberId: member.user.id,
      role: 'admin',
    });
    expect(reply.err?.code).toBe('UNAUTHENTICATED');
    const bare = await rawCall(fx.bus, roleSet, { memberId: member.user.id, role: 'admin' });
    expect(bare.err?.code).toBe('UNAUTHENTICATED');
    expect(await roleOf(member.user.id)).toBe('member');
    expect(await roleEvents()).toBe(before);
  });

  it('with a token naming the admin but signed with another key', async () => {
    const forged = await new AccessTokenSigner(testAccessKeys().signingKey).sign({
      sub: admin.user.id,
      role: 'admin',
    });
    const before = await roleEvents();
    const reply = await rawCall(
      fx.bus,
      roleSet,
      { memberId: member.user.id, role: 'admin' },
      forged.token,
    );
    expect(reply.err).toMatchObject({ code: 'UNAUTHENTICATED', message: 'access token invalid' });
    expect(await roleOf(member.user.id)).toBe('member');
    expect(await roleEvents()).toBe(before);
  });

  it('with the admin’s own token once it has expired', async () => {
    const expired = await new AccessTokenSigner(fx.keys.signingKey).sign(
      { sub: admin.user.id, role: 'admin' },
      new Date(Date.now() - 20 * 60_000),
    );
    const reply = await rawCall(
      fx.bus,
      roleSet,
      { memberId: member.user.id, role: 'admin' },
      expired.token,
    );
    expect(reply.err?.code).toBe('TOKEN_EXPIRED');
    expect(await roleOf(member.user.id)).toBe('member');
  });

  it('with a member’s valid token claiming admin: identity checks the current role itself', async () => {
    const claimsAdmin = await fx.tokenFor(member.user.id, 'admin');
    const reply = await rawCall(
      fx.bus,
      roleSet,
      { memberId: member.user.id, role: 'admin' },
      claimsAdmin,
    );
    expect(reply.err?.code).toBe('FORBIDDEN');
    expect(await roleOf(member.user.id)).toBe('member');
  });
});

describe('the normal flow through the gateway', () => {
  it('an admin signed in at the gateway changes a role; the token with the old role is refused', async () => {
    const headers = (token: string) => ({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-forwarded-for': freshIp(),
    });
    const res = await fetch(`${gw.base}/api/admin/members/${member.user.id}/role`, {
      method: 'PATCH',
      headers: headers(admin.accessToken),
      body: JSON.stringify({ role: 'facilitator' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: member.user.id, role: 'facilitator' });
    expect(await roleOf(member.user.id)).toBe('facilitator');
    // The gateway learns of the change from identity's events: from then on the token that still
    // says "member" is refused as expired, so the client refreshes and gets the new role.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const me = await fetch(`${gw.base}/api/me`, { headers: headers(member.accessToken) });
      const body = (await me.json()) as { error?: { code: string } };
      if (me.status === 401) {
        expect(body.error?.code).toBe('TOKEN_EXPIRED');
        break;
      }
      expect(me.status).toBe(200);
      if (Date.now() > deadline) throw new Error('the token with the old role is still accepted');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allRpcs } from './registry.js';
import { ACTOR_TOKEN_HEADER, rpc } from './rpc.js';
import { identityRpc } from './identity/rpc.js';

/** The top-level keys a request schema accepts (every RPC request is a strict object). */
function requestKeys(schema: z.ZodType): string[] {
  expect(schema).toBeInstanceOf(z.ZodObject);
  return Object.keys((schema as z.ZodObject).shape);
}

describe('rpc() and who a call is made for', () => {
  it('is a call of nobody in particular unless it says it is made for a member', () => {
    const open = rpc('identity', 'thing.get', z.strictObject({}), z.strictObject({}));
    const mine = rpc('identity', 'thing.set', z.strictObject({}), z.strictObject({}), {
      actor: 'member',
    });
    expect(open.actor).toBe('none');
    expect(mine.actor).toBe('member');
  });

  it('refuses a verb under evt (the event stream and live feed) and a bad segment', () => {
    const o = z.strictObject({});
    expect(() => rpc('identity', 'evt.login', o, o)).toThrow(/may not start with "evt"/);
    expect(() => rpc('identity', 'evt', o, o)).toThrow(/may not start with "evt"/);
    expect(() => rpc('identity', 'Login', o, o)).toThrow(/invalid subject segment/);
    expect(rpc('identity', 'events.list', o, o).subject).toBe('agora.identity.events.list');
    for (const def of allRpcs) expect(def.subject).not.toMatch(/^agora\.[^.]+\.evt(\.|$)/);
  });

  it('carries no caller id in any request: the actor of a member call comes from its token', () => {
    for (const def of allRpcs) {
      expect(requestKeys(def.request), def.subject).not.toContain('actorId');
    }
    // A member call that names a member names another one (e.g. the member to show or promote).
    expect(requestKeys(identityRpc.roleSet.request)).toEqual(['memberId', 'role']);
    expect(
      identityRpc.meUpdate.request.safeParse({ actorId: 'a'.repeat(24), patch: { bio: 'x' } }),
    ).toMatchObject({ success: false });
  });

  it('marks every identity call on a member’s own data or as an admin as a member call', () => {
    const member = Object.entries(identityRpc)
      .filter(([, def]) => def.actor === 'member')
      .map(([name]) => name)
      .sort();
    expect(member).toEqual(
      [
        'invitationCreate',
        'invitationList',
        'mailboxList',
        'meDelete',
        'meExport',
        'meGet',
        'meImageSet',
        'meUpdate',
        'memberGet',
        'memberList',
        'roleSet',
      ].sort(),
    );
  });

  it('names the header the token travels in', () => {
    expect(ACTOR_TOKEN_HEADER).toBe('Agora-Actor-Token');
  });
});

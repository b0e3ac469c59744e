import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcCallError } from '@agora/platform';
import { identityEvents, pointsRpc } from '@agora/proto';
import { startPointsHarness, type PointsHarness, type TestMember } from '../testing/index.js';

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof RpcCallError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err.body.code;
}

describe('spending and corrections', () => {
  let h: PointsHarness;
  let admin: TestMember;

  /** A member holding `balance` points (registration 100 + an admin correction). */
  async function memberWith(balance: number): Promise<TestMember> {
    const m = await h.member();
    await h.publish({
      def: identityEvents.memberRegistered,
      data: { memberId: m.id, invitedBy: null },
    });
    await h.drained();
    if (balance !== 100)
      await h.call(admin, pointsRpc.adjustmentCreate, {
        memberId: m.id,
        points: balance - 100,
        reason: 'spec setup',
      });
    expect((await h.call(m, pointsRpc.meGet, {})).balance).toBe(balance);
    return m;
  }

  beforeAll(async () => {
    h = await startPointsHarness();
    admin = await h.member('admin');
  }, 60_000);
  afterAll(() => h?.stop());

  it('50 concurrent charges of 30 against 1000 points: 33 pass, the balance never goes below zero', async () => {
    const m = await memberWith(1000);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        h.call(m, pointsRpc.chargeCreate, {
          amount: 30,
          reason: 'a course',
          idempotencyKey: `course-${i}-xxxx`,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter(
      (r) =>
        r.status === 'rejected' &&
        r.reason instanceof RpcCallError &&
        r.reason.body.code === 'INSUFFICIENT_POINTS',
    );
    expect(ok).toHaveLength(33);
    expect(refused).toHaveLength(17);
    const me = await h.call(m, pointsRpc.meGet, {});
    expect(me.balance).toBe(10);
    const charges = await h.db
      .collection('entries')
      .countDocuments({ memberId: m.id, rule: 'charge' });
    expect(charges).toBe(33);
    expect((await h.call(admin, pointsRpc.rebuild, {})).mismatches).toEqual([]);
  }, 60_000);

  it('the same idempotency key, 20 times at once and again later, charges once and answers the same entry', async () => {
    const m = await memberWith(100);
    const req = { amount: 40, reason: 'a partner course', idempotencyKey: 'same-key-0001' };
    const all = await Promise.all(
      Array.from({ length: 20 }, () => h.call(m, pointsRpc.chargeCreate, req)),
    );
    const again = await h.call(m, pointsRpc.chargeCreate, req);
    expect(new Set([...all, again].map((r) => r.entry.id)).size).toBe(1);
    expect([...all, again].filter((r) => !r.replayed).length).toBeLessThanOrEqual(20);
    expect(again.replayed).toBe(true);
    expect(again.balance).toBe(60);
    expect((await h.call(m, pointsRpc.meGet, {})).balance).toBe(60);
    expect(await refusal(h.call(m, pointsRpc.chargeCreate, { ...req, amount: 41 }))).toBe(
      'CONFLICT',
    );
  }, 60_000);

  it('a charge above the balance is refused with INSUFFICIENT_POINTS and writes nothing', async () => {
    const m = await memberWith(100);
    expect(
      await refusal(
        h.call(m, pointsRpc.chargeCreate, {
          amount: 101,
          reason: 'too much',
          idempotencyKey: 'too-much-01',
        }),
      ),
    ).toBe('INSUFFICIENT_POINTS');
    expect(
      await h.db.collection('entries').countDocuments({ memberId: m.id, rule: 'charge' }),
    ).toBe(0);
  }, 30_000);

  it('corrections: admins only, with a reason, never below zero', async () => {
    const m = await memberWith(100);
    expect(
      await refusal(
        h.call(m, pointsRpc.adjustmentCreate, { memberId: m.id, points: 50, reason: 'myself' }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await refusal(
        h.call(admin, pointsRpc.adjustmentCreate, {
          memberId: m.id,
          points: -101,
          reason: 'too far',
        }),
      ),
    ).toBe('INSUFFICIENT_POINTS');
    const r = await h.call(admin, pointsRpc.adjustmentCreate, {
      memberId: m.id,
      points: -60,
      reason: 'duplicate account',
    });
    expect(r.balance).toBe(40);
    expect(r.entry).toMatchObject({ rule: 'adjustment', points: -60, reason: 'duplicate account' });
  }, 30_000);

  it('an admin reverses an award once, with a reason', async () => {
    const m = await memberWith(100);
    const [award] = (await h.call(m, pointsRpc.ledgerList, { limit: 5 })).entries;
    expect(award?.rule).toBe('register');
    const r = await h.call(admin, pointsRpc.reversalCreate, {
      entryId: award?.id ?? '',
      reason: 'fake account',
    });
    expect(r).toMatchObject({
      balance: 0,
      entry: { rule: 'reversal', points: -100, source: { type: 'entry', id: award?.id } },
    });
    expect(
      await refusal(
        h.call(admin, pointsRpc.reversalCreate, { entryId: award?.id ?? '', reason: 'again' }),
      ),
    ).toBe('CONFLICT');
    expect(
      await refusal(
        h.call(admin, pointsRpc.reversalCreate, { entryId: 'nope:x', reason: 'unknown' }),
      ),
    ).toBe('NOT_FOUND');
  }, 30_000);

  it('rules: versioned on change, facilitators may edit, members may not; awards keep their version', async () => {
    const facilitator = await h.member('facilitator');
    const member = await h.member();
    expect(await refusal(h.call(member, pointsRpc.rulesGet, {}))).toBe('FORBIDDEN');
    const { rules } = await h.call(facilitator, pointsRpc.rulesGet, {});
    const register = rules.find((r) => r.id === 'register');
    expect(register).toMatchObject({ points: 100, version: 1, kind: 'once-per-member' });
    expect(rules.filter((r) => r.suggested).every((r) => !r.enabled)).toBe(true);
    const { version: _v, suggested: _s, updatedAt: _u, updatedBy: _b, ...input } = register!;
    const after = await h.call(facilitator, pointsRpc.rulesUpdate, {
      rules: [{ ...input, points: 150 }],
    });
    expect(after.rules.find((r) => r.id === 'register')).toMatchObject({ points: 150, version: 2 });
    const m = await h.member();
    await h.publish({
      def: identityEvents.memberRegistered,
      data: { memberId: m.id, invitedBy: null },
    });
    await h.drained();
    const [entry] = (await h.call(m, pointsRpc.ledgerList, { limit: 1 })).entries;
    expect(entry).toMatchObject({ rule: 'register', points: 150, ruleVersion: 2 });
    await h.call(facilitator, pointsRpc.rulesUpdate, { rules: [{ ...input, points: 100 }] });
    expect(
      await refusal(
        h.call(facilitator, pointsRpc.rulesUpdate, { rules: [{ ...input, id: 'charge' }] }),
      ),
    ).toBe('UNPROCESSABLE');
  }, 30_000);
});

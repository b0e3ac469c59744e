// A Market Place session live through the REAL gateway, spaces and collab: only its facilitator
// drives the phases, each change reaches 50 sockets in the session's room (latency printed, p99),
// late joiners read the phase the server holds, and votes under 20 concurrent double submits count
// once each, within budget, with results only after the vote.
import type { PhaseState, SessionView } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketPlaceHub, type Member, type MarketPlaceHub } from './market-place-fixture.js';

let hub: MarketPlaceHub;
let facilitator: Member;
let expert: Member;
let leader: Member;
let session: SessionView;

beforeAll(async () => {
  hub = await startMarketPlaceHub('market-place-live');
  facilitator = await hub.member('facilitator');
  [expert, leader] = await Promise.all([hub.member(), hub.member()]);
  session = await hub.json<SessionView>(
    await hub.api('/sessions', {
      method: 'POST',
      token: facilitator.token,
      json: {
        title: 'Innovation Live — Athens',
        startsAt: '2027-05-10T18:00',
        timeZone: 'Europe/Athens',
        format: 'online',
        link: 'https://meet.jit.si/agora-athens',
        dotsBudget: 3,
      },
    }),
    201,
  );
  await hub.json(
    await hub.api(`/spaces/${session.id}/members`, {
      method: 'POST',
      token: facilitator.token,
      json: { memberId: expert.id, role: 'expert', area: 'creativity' },
    }),
    201,
  );
  for (const title of ['Repair café network', 'Olive oil co-op brand']) {
    await hub.json(
      await hub.api(`/sessions/${session.id}/pitches`, {
        method: 'POST',
        token: facilitator.token,
        json: { title, summary: 'A pilot', leaderId: leader.id, country: 'GR' },
      }),
      201,
    );
  }
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

const phase = (who: Member, body: Record<string, unknown>) =>
  hub.api(`/sessions/${session.id}/phase`, { method: 'POST', token: who.token, json: body });

describe('Market Place live phases and votes', () => {
  it('lets only the facilitator drive the phases (403 for the others)', async () => {
    const outsider = await hub.member();
    for (const who of [expert, leader, outsider])
      await hub.refused(await phase(who, { phase: 'pitch', pitchIndex: 0 }), 403, 'FORBIDDEN');
    await hub.refused(
      await phase(facilitator, { phase: 'pitch', pitchIndex: 7 }),
      400,
      'VALIDATION_FAILED',
    );
    const still = await hub.json<SessionView>(
      await hub.api(`/sessions/${session.id}`, { token: outsider.token }),
      200,
    );
    expect(still.phase).toBe('lobby');
  });

  it('brings each phase change to 50 sockets in the room; late joiners land in the current phase', async () => {
    const viewers = await Promise.all(Array.from({ length: 50 }, () => hub.member()));
    const sockets = await Promise.all(viewers.map((v) => hub.roomSocket(v, session.id)));
    const steps = [
      { phase: 'pitch', pitchIndex: 0, durationSeconds: 120 },
      { phase: 'feedback', pitchIndex: 0, durationSeconds: 300 },
      { phase: 'pitch', pitchIndex: 1, durationSeconds: 120 },
      { phase: 'feedback', pitchIndex: 1, durationSeconds: 300 },
    ];
    const latencies: number[] = [];
    for (const step of steps) {
      const heard = sockets.map(
        (s) =>
          new Promise<{ at: number; payload: PhaseState }>((resolve) => {
            const on = (payload: PhaseState) => {
              if (payload.phase !== step.phase || payload.pitchIndex !== step.pitchIndex) return;
              s.off('session.phase', on);
              resolve({ at: performance.now(), payload });
            };
            s.on('session.phase', on);
          }),
      );
      const sent = performance.now();
      const view = await hub.json<SessionView>(await phase(facilitator, step), 200);
      const got = await Promise.race([
        Promise.all(heard),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('not every socket heard the phase change')), 10_000),
        ),
      ]);
      for (const g of got) {
        expect(g.payload).toEqual({
          sessionId: session.id,
          phase: step.phase,
          pitchIndex: step.pitchIndex,
          endsAt: view.endsAt,
        });
        latencies.push(g.at - sent);
      }
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    console.log(
      `session.phase to 50 sockets × ${steps.length} changes (REST call → socket): p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
    expect(latencies).toHaveLength(50 * steps.length);
    const late = await hub.member();
    const now = await hub.json<SessionView>(
      await hub.api(`/sessions/${session.id}`, { token: late.token }),
      200,
    );
    expect(now).toMatchObject({ phase: 'feedback', pitchIndex: 1 });
    expect(new Date(now.endsAt!).getTime()).toBeGreaterThan(Date.now());
    for (const s of sockets) s.disconnect();
  });

  it('counts 20 concurrent double submits once each, never over budget; results only after the vote', async () => {
    const voters = await Promise.all(Array.from({ length: 20 }, () => hub.member()));
    for (const v of voters)
      await hub.json(
        await hub.api(`/sessions/${session.id}/join`, { method: 'POST', token: v.token }),
        200,
      );
    const vote = (v: Member, key: string, dots = 1, pitchIndex = 0) =>
      hub.api(`/sessions/${session.id}/votes`, {
        method: 'POST',
        token: v.token,
        json: { pitchIndex, dots, idempotencyKey: key },
      });
    await hub.refused(await vote(voters[0]!, 'before-the-vote'), 409, 'INVALID_STATE');
    await hub.json(await phase(facilitator, { phase: 'vote', durationSeconds: 120 }), 200);
    await hub.refused(
      await hub.api(`/sessions/${session.id}/results`, { token: voters[0]!.token }),
      409,
      'INVALID_STATE',
    );
    const replies = await Promise.all(
      voters.flatMap((v, i) => [vote(v, `click-${i}-a`), vote(v, `click-${i}-a`)]),
    );
    const receipts = await Promise.all(
      replies.map((r) => hub.json<{ counted: boolean; dotsLeft: number }>(r, 200)),
    );
    expect(receipts.filter((r) => r.counted)).toHaveLength(20);
    for (let i = 0; i < 20; i += 1)
      expect([receipts[2 * i]!.counted, receipts[2 * i + 1]!.counted].sort()).toEqual([
        false,
        true,
      ]);
    // 1 spent of 3: two concurrent 2-dot votes of one member, only one fits.
    const over = await Promise.all([
      vote(voters[0]!, 'big-one-1', 2, 1),
      vote(voters[0]!, 'big-two-2', 2, 1),
    ]);
    expect(over.map((r) => r.status).sort()).toEqual([200, 409]);
    const turnout = await hub.json<{ voters: number; dotsSpent: number; eligible: number }>(
      await hub.api(`/sessions/${session.id}/turnout`, { token: facilitator.token }),
      200,
    );
    expect(turnout).toMatchObject({ voters: 20, dotsSpent: 22 });
    expect(turnout.eligible).toBeGreaterThanOrEqual(20);
    await hub.refused(
      await hub.api(`/sessions/${session.id}/turnout`, { token: voters[1]!.token }),
      403,
      'FORBIDDEN',
    );
    await hub.json(await phase(facilitator, { phase: 'wrap-up' }), 200);
    const results = await hub.json<{ pitches: { index: number; dots: number }[]; voters: number }>(
      await hub.api(`/sessions/${session.id}/results`, { token: voters[5]!.token }),
      200,
    );
    expect(results.pitches.map((p) => p.dots)).toEqual([20, 2]);
    expect(results.voters).toBe(20);
    // the same key after the vote still answers what it counted, and counts nothing more
    const again = await hub.json<{ counted: boolean }>(await vote(voters[3]!, 'click-3-a'), 200);
    expect(again.counted).toBe(false);
  });
});

import { ObjectId } from 'mongodb';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { RpcCallError } from '@agora/platform';
import {
  ACTOR_TOKEN_HEADER,
  spacesRpc,
  type MemberRpcDef,
  type RpcRequest,
  type RpcResponse,
} from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callInput } from '../testing/fixtures.js';
import { eventually, startSpacesHarness, type SpacesHarness } from '../testing/spaces-harness.js';

type Member = { id: string; token: string };

describe('proposals: lifecycle and its refusals (real spaces, nats-server, embedded store, collab stand-in)', () => {
  let h: SpacesHarness;
  let facilitator: Member;

  beforeAll(async () => {
    h = await startSpacesHarness();
    facilitator = await h.member('facilitator');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const as = <D extends MemberRpcDef>(who: Member, def: D, req: RpcRequest<D>) =>
    h.rpc.call<MemberRpcDef>(def, req, { actorToken: who.token }) as Promise<RpcResponse<D>>;

  async function refusal(
    p: Promise<unknown>,
  ): Promise<{ code: string; message: string; details?: unknown }> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof RpcCallError)) throw new Error(`expected a refusal, got ${String(err)}`);
    return err.body;
  }

  async function openCall(overrides = {}, inMs?: number) {
    const call = await as(facilitator, spacesRpc.callCreate, callInput(overrides, inMs));
    return as(facilitator, spacesRpc.callPublish, { id: call.id });
  }

  async function seededProposal(
    lead: Member,
    callId: string,
    title = 'Solidarity kitchens network',
  ) {
    const p = await as(lead, spacesRpc.proposalCreate, { callId, title });
    await eventually(() => {
      expect(h.collab.docs.get(p.docName)?.seeded).toBe(true);
    });
    return p;
  }

  function complete(
    docName: string,
    budget = [
      { category: 'staff', description: 'trainer', quantity: 10, unitCost: 25_000, valid: true },
    ],
  ) {
    h.collab.fill(docName);
    h.collab.setBudget(docName, budget);
  }

  it('walks draft → submitted → in review → funded, with the rights each step gives', async () => {
    const call = await openCall();
    expect(call).toMatchObject({ status: 'open', canManage: true, myRole: 'owner' });
    const lead = await h.member();
    const coAuthor = await h.member();
    const reviewer = await h.member();
    const p = await seededProposal(lead, call.id);
    expect(p).toMatchObject({
      status: 'draft',
      docName: `proposal:${p.id}`,
      myRole: 'lead',
      myRight: 'write',
    });
    // seeded with the call's sections, once
    expect(h.collab.docs.get(p.docName)?.sections.map((s) => s.key)).toEqual([
      'summary',
      'problem',
      'approach',
      'partners',
      'activities',
      'budget',
      'impact',
      'sustainability',
    ]);
    await eventually(async () => {
      expect((await as(lead, spacesRpc.proposalGet, { id: p.id })).seeded).toBe(true);
    });
    // seeding is the service's bookkeeping: the revision a lead's next write is checked against
    // and the "last changed" time stay as they were (else that write could fail as a conflict)
    const stored = await h.db.collection('spaces').findOne({ _id: new ObjectId(p.id) });
    expect(stored).toMatchObject({ seeded: true, rev: 0 });
    expect((await as(lead, spacesRpc.proposalGet, { id: p.id })).updatedAt).toBe(p.updatedAt);

    await as(lead, spacesRpc.memberAdd, { id: p.id, memberId: coAuthor.id, role: 'co-author' });
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: coAuthor.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'write', role: 'co-author' });
    // the call's owner reads the draft, a stranger does not
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: facilitator.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'read', role: null });
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: reviewer.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'none', role: null });

    complete(p.docName);
    const submitted = await as(lead, spacesRpc.proposalSubmit, { id: p.id });
    expect(submitted.status).toBe('submitted');
    expect(submitted.submissions).toHaveLength(1);
    expect(h.collab.freezes.at(-1)).toMatchObject({
      docName: p.docName,
      reason: 'submitted',
      savedBy: lead.id,
    });
    expect(submitted.submissions[0]?.versionId).toBe(h.collab.freezes.at(-1)?.id);
    // read-only for everyone once submitted
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: lead.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'read', role: 'lead' });

    const inReview = await as(facilitator, spacesRpc.reviewerAssign, {
      id: p.id,
      memberId: reviewer.id,
    });
    expect(inReview).toMatchObject({ status: 'in-review', reviewers: [reviewer.id] });
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: reviewer.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'read', role: null });

    const review = await as(reviewer, spacesRpc.reviewSubmit, {
      id: p.id,
      scores: [
        { criterion: 'relevance', score: 8, comment: 'Rooted in the community' },
        { criterion: 'feasibility', score: 5, comment: 'The timeline is tight' },
      ],
      comment: 'Promising',
    });
    expect(review.weightedScore).toBe(7);
    // before the decision the team sees no review
    expect((await as(lead, spacesRpc.reviewList, { id: p.id })).items).toEqual([]);

    const funded = await as(facilitator, spacesRpc.proposalDecide, {
      id: p.id,
      outcome: 'funded',
      note: 'Congratulations',
    });
    expect(funded).toMatchObject({
      status: 'funded',
      decision: { outcome: 'funded', note: 'Congratulations', decidedBy: facilitator.id },
    });
    const seen = await as(lead, spacesRpc.proposalGet, { id: p.id });
    expect(seen.decision?.outcome).toBe('funded');
    expect((await as(lead, spacesRpc.reviewList, { id: p.id })).items.map((r) => r.id)).toEqual([
      review.id,
    ]);

    // every change is an event, with its actor, in order, through the outbox
    await eventually(async () => {
      const types = await streamTypes(h, p.id);
      expect(types).toEqual(
        expect.arrayContaining([
          'spaces.membership.added',
          'spaces.proposal.created',
          'spaces.proposal.seeded',
          'spaces.proposal.submitted',
          'spaces.doc-access.changed',
          'spaces.reviewer.assigned',
          'spaces.review.submitted',
          'spaces.proposal.decided',
        ]),
      );
    });
  });

  it("refuses a call owner's decision on a proposal whose team they are on", async () => {
    const call = await openCall();
    const lead = await h.member();
    const p = await seededProposal(lead, call.id);
    await as(lead, spacesRpc.memberAdd, { id: p.id, memberId: facilitator.id, role: 'viewer' });
    complete(p.docName);
    await as(lead, spacesRpc.proposalSubmit, { id: p.id });
    expect(
      await refusal(
        as(facilitator, spacesRpc.proposalDecide, { id: p.id, outcome: 'funded', note: '' }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect((await as(lead, spacesRpc.proposalGet, { id: p.id })).status).toBe('submitted');
  });

  it('refuses: a co-author decides or submits, a reviewer edits or reviews unassigned, a stranger reads', async () => {
    const call = await openCall();
    const lead = await h.member();
    const coAuthor = await h.member();
    const commenter = await h.member();
    const stranger = await h.member();
    const p = await seededProposal(lead, call.id);
    await as(lead, spacesRpc.memberAdd, { id: p.id, memberId: coAuthor.id, role: 'co-author' });
    await as(lead, spacesRpc.memberAdd, { id: p.id, memberId: commenter.id, role: 'commenter' });

    // a commenter of a draft comments (collab keeps its updates to comments and suggestions)
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: commenter.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'comment', role: 'commenter' });
    // a non-member cannot read a private proposal over REST or collab
    expect(await refusal(as(stranger, spacesRpc.proposalGet, { id: p.id }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: stranger.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'none', role: null });
    await expect(
      h.rpc.call(spacesRpc.roomAccess, { memberId: stranger.id, spaceId: p.id }),
    ).resolves.toEqual({ allowed: false, role: null });
    // unknown documents and spaces: none
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: lead.id, docName: `proposal:${'0'.repeat(24)}` }),
    ).resolves.toEqual({ right: 'none', role: null });
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: lead.id, docName: `board:${p.id}` }),
    ).resolves.toEqual({ right: 'none', role: null });

    expect(await refusal(as(coAuthor, spacesRpc.proposalSubmit, { id: p.id }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await refusal(
        as(coAuthor, spacesRpc.memberAdd, { id: p.id, memberId: stranger.id, role: 'viewer' }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    complete(p.docName);
    await as(lead, spacesRpc.proposalSubmit, { id: p.id });
    // the submitted text is what is reviewed: its commenters read it only
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: commenter.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'read', role: 'commenter' });
    expect(
      await refusal(
        as(coAuthor, spacesRpc.proposalDecide, { id: p.id, outcome: 'funded', note: '' }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await refusal(as(lead, spacesRpc.reviewerAssign, { id: p.id, memberId: stranger.id })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    // a team member cannot review their own proposal
    expect(
      await refusal(as(facilitator, spacesRpc.reviewerAssign, { id: p.id, memberId: coAuthor.id })),
    ).toMatchObject({ code: 'CONFLICT' });
    await as(facilitator, spacesRpc.reviewerAssign, { id: p.id, memberId: stranger.id });
    expect(
      await refusal(as(facilitator, spacesRpc.reviewerAssign, { id: p.id, memberId: stranger.id })),
    ).toMatchObject({ code: 'CONFLICT' });
    // the reviewer reads, never writes
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: stranger.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'read', role: null });
    expect(
      await refusal(
        as(stranger, spacesRpc.proposalUpdate, { id: p.id, patch: { title: 'Taken over' } }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    // an unassigned member cannot review; a review must score each criterion once
    expect(
      await refusal(as(commenter, spacesRpc.reviewSubmit, { id: p.id, scores: [], comment: '' })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    const partial = await refusal(
      as(stranger, spacesRpc.reviewSubmit, {
        id: p.id,
        scores: [
          { criterion: 'relevance', score: 3, comment: 'ok' },
          { criterion: 'vibes', score: 9, comment: 'great' },
        ],
        comment: '',
      }),
    );
    expect(partial.code).toBe('UNPROCESSABLE');
    expect(partial.details).toEqual([
      expect.objectContaining({ check: 'criterion-unknown', criterion: 'vibes' }),
      expect.objectContaining({ check: 'criterion-missing', criterion: 'feasibility' }),
    ]);
  });

  it('refuses illegal transitions with their reason (409 INVALID_STATE)', async () => {
    const call = await openCall();
    const lead = await h.member();
    const p = await seededProposal(lead, call.id);
    expect(
      await refusal(
        as(facilitator, spacesRpc.proposalDecide, { id: p.id, outcome: 'funded', note: '' }),
      ),
    ).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('draft') as unknown,
    });
    expect(
      await refusal(
        as(facilitator, spacesRpc.reviewerAssign, { id: p.id, memberId: facilitator.id }),
      ),
    ).toMatchObject({ code: 'INVALID_STATE' });
    const withdrawn = await as(lead, spacesRpc.proposalWithdraw, { id: p.id });
    expect(withdrawn.status).toBe('withdrawn');
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: lead.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'read', role: 'lead' });
    // withdrawn is final
    expect(await refusal(as(lead, spacesRpc.proposalWithdraw, { id: p.id }))).toMatchObject({
      code: 'INVALID_STATE',
    });
    expect(await refusal(as(lead, spacesRpc.proposalSubmit, { id: p.id }))).toMatchObject({
      code: 'INVALID_STATE',
    });
    // a decided proposal can no longer be withdrawn
    const q = await seededProposal(lead, call.id, 'Second try');
    complete(q.docName);
    await as(lead, spacesRpc.proposalSubmit, { id: q.id });
    await as(facilitator, spacesRpc.proposalDecide, {
      id: q.id,
      outcome: 'not-funded',
      note: 'Out of scope',
    });
    expect(await refusal(as(lead, spacesRpc.proposalWithdraw, { id: q.id }))).toMatchObject({
      code: 'INVALID_STATE',
    });
    expect(
      await refusal(
        as(facilitator, spacesRpc.proposalDecide, { id: q.id, outcome: 'funded', note: '' }),
      ),
    ).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('reopens a submitted proposal before the deadline and review, and freezes a second version on resubmission', async () => {
    const call = await openCall();
    const lead = await h.member();
    const coAuthor = await h.member();
    const p = await seededProposal(lead, call.id);
    await as(lead, spacesRpc.memberAdd, { id: p.id, memberId: coAuthor.id, role: 'co-author' });
    complete(p.docName);
    const first = await as(lead, spacesRpc.proposalSubmit, { id: p.id });
    expect(await refusal(as(coAuthor, spacesRpc.proposalReopen, { id: p.id }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const reopened = await as(lead, spacesRpc.proposalReopen, { id: p.id });
    expect(reopened).toMatchObject({ status: 'draft', myRight: 'write' });
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: coAuthor.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'write', role: 'co-author' });
    expect(await refusal(as(lead, spacesRpc.proposalReopen, { id: p.id }))).toMatchObject({
      code: 'INVALID_STATE',
    });
    h.collab.write(p.docName, 'summary', 'A revised summary, clearer about the partners.');
    const second = await as(lead, spacesRpc.proposalSubmit, { id: p.id });
    expect(second.submissions).toHaveLength(2);
    expect(second.submissions[1]?.versionId).not.toBe(first.submissions[0]?.versionId);
    // once in review the submitted text stands
    await as(facilitator, spacesRpc.reviewerAssign, { id: p.id, memberId: (await h.member()).id });
    expect(await refusal(as(lead, spacesRpc.proposalReopen, { id: p.id }))).toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('refuses incomplete and over-budget submissions with every failing check (422), reading collab', async () => {
    const call = await openCall({ maxPerProject: 100_000, totalBudget: 1_000_000 });
    const lead = await h.member();
    const p = await seededProposal(lead, call.id);
    h.collab.write(p.docName, 'summary', 'Too short');
    h.collab.setBudget(p.docName, [
      { category: 'staff', description: 'trainers', quantity: 3, unitCost: 40_000, valid: true },
      { category: '', description: 'broken', quantity: 1, unitCost: 10, valid: false },
    ]);
    const body = await refusal(as(lead, spacesRpc.proposalSubmit, { id: p.id }));
    expect(body.code).toBe('UNPROCESSABLE');
    const checks = body.details as { check: string; section?: string }[];
    expect(checks.filter((c) => c.check === 'section-too-short').map((c) => c.section)).toContain(
      'summary',
    );
    expect(checks.filter((c) => c.check === 'section-too-short')).toHaveLength(8);
    expect(checks.map((c) => c.check)).toEqual(
      expect.arrayContaining(['budget-line-invalid', 'budget-over-cap']),
    );
    expect(checks.find((c) => c.check === 'budget-over-cap')).toMatchObject({
      total: 120_000,
      maxPerProject: 100_000,
    });
    // nothing changed, nothing frozen
    expect((await as(lead, spacesRpc.proposalGet, { id: p.id })).status).toBe('draft');
    expect(h.collab.freezes.filter((f) => f.docName === p.docName)).toHaveLength(0);
    // exactly at the cap passes
    h.collab.fill(p.docName);
    h.collab.setBudget(p.docName, [
      { category: 'staff', description: 'trainers', quantity: 2.5, unitCost: 40_000, valid: true },
    ]);
    await expect(as(lead, spacesRpc.proposalSubmit, { id: p.id })).resolves.toMatchObject({
      status: 'submitted',
    });
  });

  it('refuses submissions after the deadline (server clock), and new proposals in a closed call', async () => {
    const call = await openCall({}, 60_000);
    const lead = await h.member();
    const p = await seededProposal(lead, call.id);
    complete(p.docName);
    h.clock.advance(61_000);
    try {
      const late = await refusal(as(lead, spacesRpc.proposalSubmit, { id: p.id }));
      expect(late).toMatchObject({
        code: 'INVALID_STATE',
        message: expect.stringContaining('closed') as unknown,
      });
      expect(
        await refusal(as(lead, spacesRpc.proposalCreate, { callId: call.id, title: 'Too late' })),
      ).toMatchObject({ code: 'INVALID_STATE' });
      expect((await as(lead, spacesRpc.callGet, { id: call.id })).status).toBe('closed');
      // the closer records the close once
      await eventually(async () => {
        expect(await streamTypes(h, call.id)).toContain('spaces.call.closed');
      });
      // later sweeps find it closed: one event, however many sweeps (and replicas) ran
      await new Promise((r) => setTimeout(r, 600));
      expect(
        (await streamTypes(h, call.id)).filter((t) => t === 'spaces.call.closed'),
      ).toHaveLength(1);
    } finally {
      h.clock.advance(-61_000);
    }
  });

  it('keeps seeding until collab answers (the proposal exists meanwhile), and never seeds twice', async () => {
    const call = await openCall();
    const lead = await h.member();
    h.collab.pause();
    let p: RpcResponse<typeof spacesRpc.proposalCreate>;
    try {
      p = await as(lead, spacesRpc.proposalCreate, { callId: call.id, title: 'Seeded later' });
      expect(p.seeded).toBe(false);
      await new Promise((r) => setTimeout(r, 700));
      expect((await as(lead, spacesRpc.proposalGet, { id: p.id })).seeded).toBe(false);
    } finally {
      h.collab.start();
    }
    await eventually(async () => {
      expect((await as(lead, spacesRpc.proposalGet, { id: p.id })).seeded).toBe(true);
    }, 20_000);
    expect(h.collab.docs.get(p.docName)?.seeded).toBe(true);
    const seededEvents = async () =>
      (await streamTypes(h, p.id)).filter((t) => t === 'spaces.proposal.seeded');
    await eventually(async () => expect(await seededEvents()).toHaveLength(1));
    // redeliveries and retries after the outage found it seeded: still one
    await new Promise((r) => setTimeout(r, 500));
    expect(await seededEvents()).toHaveLength(1);
  });

  it('seeds a proposal created while collab was down even when spaces restarts meanwhile', async () => {
    const call = await openCall();
    const lead = await h.member();
    h.collab.pause();
    let p: RpcResponse<typeof spacesRpc.proposalCreate>;
    try {
      p = await as(lead, spacesRpc.proposalCreate, {
        callId: call.id,
        title: 'Survives a restart',
      });
      await h.restart();
    } finally {
      h.collab.start();
    }
    await eventually(async () => {
      expect((await as(lead, spacesRpc.proposalGet, { id: p.id })).seeded).toBe(true);
    }, 30_000);
    expect(h.collab.docs.get(p.docName)?.sections.length).toBe(8);
  });

  it('refuses malformed requests and calls without a verified member, changing nothing', async () => {
    const before = await h.db.collection('spaces').countDocuments();
    const raw = async (subject: string, data: unknown, token?: string) => {
      const hdrs = natsHeaders();
      if (token) hdrs.set(ACTOR_TOKEN_HEADER, token);
      const reply = await h.bus.nc.request(
        subject,
        JSON.stringify({ pattern: subject, data, id: 'x' }),
        {
          timeout: 10_000,
          headers: hdrs,
        },
      );
      return reply.json<{ err?: { code: string } }>().err?.code;
    };
    expect(
      await raw(spacesRpc.docAccess.subject, {
        memberId: facilitator.id,
        docName: 'proposal:../x',
      }),
    ).toBe('VALIDATION_FAILED');
    expect(await raw(spacesRpc.callCreate.subject, callInput())).toBe('UNAUTHENTICATED');
    expect(await raw(spacesRpc.callCreate.subject, callInput(), `${facilitator.token}x`)).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await raw(
        spacesRpc.callCreate.subject,
        { ...callInput(), actorId: facilitator.id },
        facilitator.token,
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      await raw(
        spacesRpc.proposalCreate.subject,
        { callId: 'nope', title: 'x' },
        facilitator.token,
      ),
    ).toBe('VALIDATION_FAILED');
    expect(await h.db.collection('spaces').countDocuments()).toBe(before);
  });
});

/** Types of the events in AGORA_SPACES about one space, in order. */
async function streamTypes(h: SpacesHarness, subject: string): Promise<string[]> {
  const info = await h.bus.jsm.streams.info('AGORA_SPACES');
  const out: string[] = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq += 1
  ) {
    const msg = await h.bus.jsm.streams.getMessage('AGORA_SPACES', { seq }).catch(() => null);
    const env = msg?.json<{ type: string; subject: string }>();
    if (env && env.subject === subject) out.push(env.type);
  }
  return out;
}

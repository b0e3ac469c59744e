import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { identityEvents, spacesRpc, streams } from '@agora/proto';
import { buildEnvelope, ensureStream } from '@agora/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callInput } from '../testing/fixtures.js';
import { callAs, refusal, streamTypes, type TestMember } from '../testing/rpc-as.js';
import { eventually, startSpacesHarness, type SpacesHarness } from '../testing/spaces-harness.js';

describe('memberships: roles, the last lead, invitations (real spaces, nats-server, embedded store)', () => {
  let h: SpacesHarness;
  let facilitator: TestMember;
  let callId: string;

  beforeAll(async () => {
    h = await startSpacesHarness();
    facilitator = await h.member('facilitator');
    const call = await callAs(h, facilitator, spacesRpc.callCreate, callInput());
    await callAs(h, facilitator, spacesRpc.callPublish, { id: call.id });
    callId = call.id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function proposal(lead: TestMember) {
    return callAs(h, lead, spacesRpc.proposalCreate, { callId, title: 'Women-led cooperatives' });
  }

  it('adds members once, with roles of the space kind, and answers their rights at once', async () => {
    const lead = await h.member();
    const viewer = await h.member();
    const p = await proposal(lead);
    const added = await callAs(h, lead, spacesRpc.memberAdd, {
      id: p.id,
      memberId: viewer.id,
      role: 'viewer',
    });
    expect(added).toMatchObject({
      status: 'active',
      memberId: viewer.id,
      role: 'viewer',
      addedBy: lead.id,
    });
    expect(
      await refusal(
        callAs(h, lead, spacesRpc.memberAdd, { id: p.id, memberId: viewer.id, role: 'co-author' }),
      ),
    ).toMatchObject({ code: 'CONFLICT' });
    expect(
      await refusal(
        callAs(h, lead, spacesRpc.memberAdd, {
          id: p.id,
          memberId: (await h.member()).id,
          role: 'owner',
        }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      h.rpc.call(spacesRpc.roomAccess, { memberId: viewer.id, spaceId: p.id }),
    ).resolves.toEqual({ allowed: true, role: 'viewer' });
    const list = await callAs(h, viewer, spacesRpc.memberList, { id: p.id });
    expect(list.items.map((m) => [m.memberId, m.role])).toEqual([
      [lead.id, 'lead'],
      [viewer.id, 'viewer'],
    ]);
    // only one membership document per member and space, even after racing adds
    const racer = await h.member();
    const results = await Promise.allSettled(
      [1, 2, 3].map(() =>
        callAs(h, lead, spacesRpc.memberAdd, { id: p.id, memberId: racer.id, role: 'commenter' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      await h.db.collection('memberships').countDocuments({ memberId: new ObjectId(racer.id) }),
    ).toBe(1);
  });

  it('keeps the last lead: neither demoted nor removed, even by concurrent changes', async () => {
    const lead = await h.member();
    const second = await h.member();
    const p = await proposal(lead);
    expect(
      await refusal(
        callAs(h, lead, spacesRpc.memberUpdate, { id: p.id, memberId: lead.id, role: 'viewer' }),
      ),
    ).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('last lead') as unknown });
    expect(
      await refusal(callAs(h, lead, spacesRpc.memberRemove, { id: p.id, memberId: lead.id })),
    ).toMatchObject({ code: 'CONFLICT' });
    await callAs(h, lead, spacesRpc.memberAdd, { id: p.id, memberId: second.id, role: 'lead' });
    // both leads demote themselves at once: exactly one may
    const both = await Promise.allSettled([
      callAs(h, lead, spacesRpc.memberUpdate, { id: p.id, memberId: lead.id, role: 'co-author' }),
      callAs(h, second, spacesRpc.memberUpdate, {
        id: p.id,
        memberId: second.id,
        role: 'co-author',
      }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const leads = (await callAs(h, lead, spacesRpc.memberList, { id: p.id })).items.filter(
      (m) => m.role === 'lead',
    );
    expect(leads).toHaveLength(1);
  });

  it('lets members leave, managers remove, and nobody else; removal ends the rights', async () => {
    const lead = await h.member();
    const a = await h.member();
    const b = await h.member();
    const p = await proposal(lead);
    await callAs(h, lead, spacesRpc.memberAdd, { id: p.id, memberId: a.id, role: 'co-author' });
    await callAs(h, lead, spacesRpc.memberAdd, { id: p.id, memberId: b.id, role: 'commenter' });
    expect(
      await refusal(callAs(h, a, spacesRpc.memberRemove, { id: p.id, memberId: b.id })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    await callAs(h, b, spacesRpc.memberRemove, { id: p.id, memberId: b.id });
    await callAs(h, lead, spacesRpc.memberRemove, { id: p.id, memberId: a.id });
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: a.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'none', role: null });
    expect(
      await refusal(callAs(h, lead, spacesRpc.memberRemove, { id: p.id, memberId: a.id })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    // re-adding revives the membership
    await callAs(h, lead, spacesRpc.memberAdd, { id: p.id, memberId: a.id, role: 'viewer' });
    await expect(
      h.rpc.call(spacesRpc.docAccess, { memberId: a.id, docName: p.docName }),
    ).resolves.toEqual({ right: 'read', role: 'viewer' });
    await eventually(async () => {
      const types = await streamTypes(h, p.id);
      expect(types.filter((t) => t === 'spaces.membership.removed')).toHaveLength(2);
    });
  });

  it('keeps an email invitation’s role until the invitee joins, once, however often the event comes', async () => {
    const lead = await h.member();
    const p = await proposal(lead);
    const stranger = await h.member();
    expect(
      await refusal(
        callAs(h, stranger, spacesRpc.memberInviteCheck, { id: p.id, role: 'co-author' }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      callAs(h, lead, spacesRpc.memberInviteCheck, { id: p.id, role: 'co-author' }),
    ).resolves.toEqual({ ok: true });
    const invitationId = 'f'.repeat(24);
    const pending = await callAs(h, lead, spacesRpc.memberInviteRecord, {
      id: p.id,
      role: 'co-author',
      invitationId,
    });
    expect(pending).toMatchObject({ status: 'invited', role: 'co-author', invitedBy: lead.id });
    expect(
      await refusal(
        callAs(h, lead, spacesRpc.memberInviteRecord, { id: p.id, role: 'viewer', invitationId }),
      ),
    ).toMatchObject({ code: 'CONFLICT' });
    expect((await callAs(h, lead, spacesRpc.memberList, { id: p.id })).pending).toHaveLength(1);

    const invitee = await h.member();
    const accepted = buildEnvelope(identityEvents.invitationAccepted, {
      actor: invitee.id,
      subject: invitationId,
      data: { invitationId, inviterId: lead.id, memberId: invitee.id },
    });
    // identity owns the stream; here it is created as identity would at its start
    await ensureStream(h.bus.jsm, streams.identity);
    // the same event three times (redelivery, a replayed publish with another message id)
    for (const msgID of [accepted.id, accepted.id, randomUUID()])
      await h.bus.js.publish(identityEvents.invitationAccepted.subject, JSON.stringify(accepted), {
        msgID,
      });
    await eventually(async () => {
      await expect(
        h.rpc.call(spacesRpc.docAccess, { memberId: invitee.id, docName: p.docName }),
      ).resolves.toEqual({ right: 'write', role: 'co-author' });
    });
    await new Promise((r) => setTimeout(r, 300));
    const members = await callAs(h, lead, spacesRpc.memberList, { id: p.id });
    expect(members.items.filter((m) => m.memberId === invitee.id)).toHaveLength(1);
    expect(members.pending).toHaveLength(0);
    expect(
      (await streamTypes(h, p.id)).filter((t) => t === 'spaces.membership.added'),
    ).toHaveLength(2);
  });

  it("lets a call's owners manage its members and see its proposals; a call reviewer manages nothing", async () => {
    const call = await callAs(h, facilitator, spacesRpc.callCreate, callInput());
    const coOwner = await h.member();
    const pool = await h.member();
    await callAs(h, facilitator, spacesRpc.memberAdd, {
      id: call.id,
      memberId: coOwner.id,
      role: 'owner',
    });
    await callAs(h, coOwner, spacesRpc.memberAdd, {
      id: call.id,
      memberId: pool.id,
      role: 'reviewer',
    });
    expect(
      await refusal(
        callAs(h, pool, spacesRpc.memberAdd, {
          id: call.id,
          memberId: (await h.member()).id,
          role: 'viewer',
        }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(callAs(h, pool, spacesRpc.callPublish, { id: call.id }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      h.rpc.call(spacesRpc.roomAccess, { memberId: pool.id, spaceId: call.id }),
    ).resolves.toEqual({ allowed: true, role: 'reviewer' });
    // a draft call is not anybody's room
    const outsider = await h.member();
    await expect(
      h.rpc.call(spacesRpc.roomAccess, { memberId: outsider.id, spaceId: call.id }),
    ).resolves.toEqual({ allowed: false, role: null });
  });
});

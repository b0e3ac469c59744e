import { defaultProposalSections, spacesRpc } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callInput } from '../testing/fixtures.js';
import { callAs, refusal, type TestMember } from '../testing/rpc-as.js';
import { startSpacesHarness, type SpacesHarness } from '../testing/spaces-harness.js';

describe('calls: creation, editing until published, lists (real spaces, nats-server, embedded store)', () => {
  let h: SpacesHarness;
  let facilitator: TestMember;
  let admin: TestMember;
  let member: TestMember;

  beforeAll(async () => {
    h = await startSpacesHarness();
    facilitator = await h.member('facilitator');
    admin = await h.member('admin');
    member = await h.member();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('lets facilitators and admins create drafts with the default sections; members may not', async () => {
    const call = await callAs(h, facilitator, spacesRpc.callCreate, callInput());
    expect(call).toMatchObject({
      status: 'draft',
      currency: 'EUR',
      myRole: 'owner',
      canManage: true,
      publishedAt: null,
    });
    expect(call.sections.map((s) => s.key)).toEqual([...defaultProposalSections]);
    await expect(callAs(h, admin, spacesRpc.callCreate, callInput())).resolves.toMatchObject({
      status: 'draft',
    });
    expect(await refusal(callAs(h, member, spacesRpc.callCreate, callInput()))).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('refuses bad amounts, a past deadline and duplicate keys, writing nothing', async () => {
    const before = await h.db.collection('spaces').countDocuments({ kind: 'call' });
    expect(
      await refusal(
        callAs(h, facilitator, spacesRpc.callCreate, callInput({ maxPerProject: 30_000_000 })),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      await refusal(callAs(h, facilitator, spacesRpc.callCreate, callInput({ totalBudget: 10.5 }))),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      await refusal(callAs(h, facilitator, spacesRpc.callCreate, callInput({ currency: 'euro' }))),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      await refusal(
        callAs(
          h,
          facilitator,
          spacesRpc.callCreate,
          callInput({ deadline: '2020-01-01T00:00:00Z' }),
        ),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      await refusal(
        callAs(
          h,
          facilitator,
          spacesRpc.callCreate,
          callInput({
            sections: [
              { key: 'summary', heading: 'A' },
              { key: 'summary', heading: 'B' },
            ],
          }),
        ),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await h.db.collection('spaces').countDocuments({ kind: 'call' })).toBe(before);
  });

  it("reads a wall-clock deadline in the call's time zone", async () => {
    const year = new Date().getUTCFullYear() + 1;
    const call = await callAs(
      h,
      facilitator,
      spacesRpc.callCreate,
      callInput({ deadline: `${year}-01-15T23:59`, timeZone: 'Asia/Amman' }),
    );
    expect(call).toMatchObject({ deadline: `${year}-01-15T20:59:00.000Z`, timeZone: 'Asia/Amman' });
  });

  it('is edited by its owners until published, then no more', async () => {
    const call = await callAs(h, facilitator, spacesRpc.callCreate, callInput());
    expect(
      await refusal(
        callAs(h, member, spacesRpc.callUpdate, { id: call.id, patch: { title: 'Mine now' } }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await refusal(
        callAs(h, facilitator, spacesRpc.callUpdate, {
          id: call.id,
          patch: { maxPerProject: 99_000_000 },
        }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    const edited = await callAs(h, facilitator, spacesRpc.callUpdate, {
      id: call.id,
      patch: { title: 'Renamed call', eligibleCountries: ['TN', 'JO', 'TN'] },
    });
    expect(edited).toMatchObject({ title: 'Renamed call', eligibleCountries: ['TN', 'JO'] });
    await expect(
      callAs(h, admin, spacesRpc.callUpdate, {
        id: call.id,
        patch: { description: 'By an admin' },
      }),
    ).resolves.toMatchObject({ description: 'By an admin' });
    const open = await callAs(h, facilitator, spacesRpc.callPublish, { id: call.id });
    expect(open.status).toBe('open');
    expect(
      await refusal(callAs(h, facilitator, spacesRpc.callPublish, { id: call.id })),
    ).toMatchObject({ code: 'INVALID_STATE' });
    expect(
      await refusal(
        callAs(h, facilitator, spacesRpc.callUpdate, { id: call.id, patch: { title: 'Too late' } }),
      ),
    ).toMatchObject({ code: 'INVALID_STATE' });
    // eligible countries are enforced on new proposals
    expect(
      await refusal(
        callAs(h, member, spacesRpc.proposalCreate, {
          callId: call.id,
          title: 'From elsewhere',
          country: 'FR',
        }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      callAs(h, member, spacesRpc.proposalCreate, {
        callId: call.id,
        title: 'From Tunisia',
        country: 'TN',
      }),
    ).resolves.toMatchObject({ country: 'TN' });
  });

  it('hides drafts and private calls from non-members, and lists open, closed, drafts and mine', async () => {
    const owner = await h.member('facilitator');
    const draft = await callAs(h, owner, spacesRpc.callCreate, callInput({ title: 'Quiet draft' }));
    const privateCall = await callAs(
      h,
      owner,
      spacesRpc.callCreate,
      callInput({ title: 'Invite-only', visibility: 'private' }),
    );
    await callAs(h, owner, spacesRpc.callPublish, { id: privateCall.id });
    const soon = await callAs(
      h,
      owner,
      spacesRpc.callCreate,
      callInput({ title: 'Closing soon' }, 2_000),
    );
    await callAs(h, owner, spacesRpc.callPublish, { id: soon.id });
    expect(await refusal(callAs(h, member, spacesRpc.callGet, { id: draft.id }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await refusal(callAs(h, member, spacesRpc.callGet, { id: privateCall.id })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await refusal(callAs(h, member, spacesRpc.callGet, { id: 'e'.repeat(24) })),
    ).toMatchObject({ code: 'NOT_FOUND' });

    const ids = async (
      who: TestMember,
      q: Parameters<typeof callAs<typeof spacesRpc.callList>>[3],
    ) => (await callAs(h, who, spacesRpc.callList, q)).items.map((c) => c.id);
    const memberOpen = await ids(member, { status: 'open', limit: 100 });
    expect(memberOpen).toContain(soon.id);
    expect(memberOpen).not.toContain(privateCall.id);
    expect(await ids(owner, { status: 'open', limit: 100 })).toContain(privateCall.id);
    expect(await ids(owner, { status: 'draft', limit: 100 })).toEqual([draft.id]);
    expect(await ids(member, { status: 'draft', limit: 100 })).toEqual([]);
    expect((await ids(admin, { status: 'draft', limit: 100 })).length).toBeGreaterThan(1);
    expect(new Set(await ids(owner, { mine: true, limit: 100 }))).toEqual(
      new Set([draft.id, privateCall.id, soon.id]),
    );
    // closes at its deadline, by the server's clock
    h.clock.advance(3_000);
    try {
      expect(await ids(member, { status: 'closed', limit: 100 })).toContain(soon.id);
      expect(await ids(member, { status: 'open', limit: 100 })).not.toContain(soon.id);
    } finally {
      h.clock.advance(-3_000);
    }
  });
});

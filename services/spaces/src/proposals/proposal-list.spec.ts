import { spacesRpc, type RpcRequest } from '@agora/proto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callInput } from '../testing/fixtures.js';
import { callAs, type TestMember } from '../testing/rpc-as.js';
import { startSpacesHarness, type SpacesHarness } from '../testing/spaces-harness.js';

describe('proposal lists: filters, search by title, only what the caller may read', () => {
  let h: SpacesHarness;
  let owner: TestMember;
  let lead: TestMember;
  let other: TestMember;
  let callA: string;
  let callB: string;
  const titles: Record<string, string> = {};

  beforeAll(async () => {
    h = await startSpacesHarness();
    owner = await h.member('facilitator');
    lead = await h.member();
    other = await h.member();
    const a = await callAs(h, owner, spacesRpc.callCreate, callInput({ title: 'Call A' }));
    const b = await callAs(
      h,
      await h.member('facilitator'),
      spacesRpc.callCreate,
      callInput({ title: 'Call B' }),
    );
    callA = (await callAs(h, owner, spacesRpc.callPublish, { id: a.id })).id;
    callB = b.id;
    await callAs(h, await h.member('admin'), spacesRpc.callPublish, { id: callB });
    const make = async (who: TestMember, callId: string, title: string, country?: string) => {
      const p = await callAs(h, who, spacesRpc.proposalCreate, {
        callId,
        title,
        ...(country ? { country } : {}),
      });
      titles[p.id] = title;
      return p;
    };
    await make(lead, callA, 'Économie solidaire à Sfax', 'TN');
    await make(lead, callA, 'Solidarity kitchens in Irbid', 'JO');
    await make(lead, callB, 'Κοινωνική κουζίνα Αθήνα', 'GR');
    const opened = await make(other, callB, 'Open kitchens for refugees', 'JO');
    await callAs(h, other, spacesRpc.proposalUpdate, {
      id: opened.id,
      patch: { openToMembers: true },
    });
    await make(other, callB, 'Private garden cooperative', 'PS');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const list = async (who: TestMember, q: RpcRequest<typeof spacesRpc.proposalList>) => {
    const page = await callAs(h, who, spacesRpc.proposalList, q);
    return page.items.map((p) => p.title);
  };

  it('shows a member their own, the opened ones, and nothing private of others', async () => {
    expect(new Set(await list(lead, {}))).toEqual(
      new Set([
        'Économie solidaire à Sfax',
        'Solidarity kitchens in Irbid',
        'Κοινωνική κουζίνα Αθήνα',
        'Open kitchens for refugees',
      ]),
    );
    expect(await list(lead, { mine: true, callId: callA })).toEqual([
      'Solidarity kitchens in Irbid',
      'Économie solidaire à Sfax',
    ]);
    // their own opened proposal counts once, with the total to match
    const theirs = await callAs(h, other, spacesRpc.proposalList, {});
    expect(theirs.items.map((p) => p.title)).toEqual([
      'Private garden cooperative',
      'Open kitchens for refugees',
    ]);
    expect(theirs.total).toBe(2);
    expect(await list(other, { mine: true })).toEqual([
      'Private garden cooperative',
      'Open kitchens for refugees',
    ]);
  });

  it("shows a call's owner every proposal of their call, and no other call's private ones", async () => {
    expect(await list(owner, { callId: callA })).toHaveLength(2);
    expect(await list(owner, { callId: callB })).toEqual(['Open kitchens for refugees']);
  });

  it('filters by country and status, and pages with a total', async () => {
    expect(await list(lead, { country: 'JO' })).toEqual([
      'Open kitchens for refugees',
      'Solidarity kitchens in Irbid',
    ]);
    expect(await list(lead, { status: 'submitted' })).toEqual([]);
    const page = await callAs(h, lead, spacesRpc.proposalList, { limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.items).toHaveLength(2);
  });

  it('searches title words from their start, any case and accents, every word required', async () => {
    expect(new Set(await list(lead, { q: 'kitch' }))).toEqual(
      new Set(['Solidarity kitchens in Irbid', 'Open kitchens for refugees']),
    );
    expect(await list(lead, { q: 'ECONOMIE sfax' })).toEqual(['Économie solidaire à Sfax']);
    expect(await list(lead, { q: 'κουζινα' })).toEqual(['Κοινωνική κουζίνα Αθήνα']);
    expect(await list(lead, { q: 'itchens' })).toEqual([]);
    expect(await list(lead, { q: 'garden' })).toEqual([]);
    expect(await list(other, { q: 'garden' })).toEqual(['Private garden cooperative']);
  });

  it('answers search and call filters from an index (explain: only matching documents examined)', async () => {
    const spaces = h.db.collection('spaces');
    const examined = async (filter: Record<string, unknown>) => {
      const plan = await spaces.find(filter).explain('executionStats');
      return (plan.executionStats as { totalDocsExamined: number }).totalDocsExamined;
    };
    const visible = { $or: [{ openToMembers: true }, { reviewers: new ObjectId(lead.id) }] };
    expect(await examined({ kind: 'proposal', titlePrefixes: 'kitch', ...visible })).toBe(2);
    expect(await examined({ kind: 'proposal', parentId: new ObjectId(callA) })).toBe(2);
    expect(await examined({ kind: 'proposal', country: 'JO' })).toBe(2);
    // and an unindexed condition does scan: the number is real
    expect(await examined({ title: 'Open kitchens for refugees' })).toBeGreaterThan(5);
  });
});

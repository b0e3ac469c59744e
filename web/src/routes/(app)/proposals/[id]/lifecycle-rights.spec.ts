import { describe, expect, it } from 'vitest';
import { lifecycleRights } from './lifecycle-rights.js';

const me = 'a'.repeat(24);
const openCall = { status: 'open' as const, canManage: false };
const draft = { status: 'draft' as const, myRole: null, reviewers: [] as string[] };

describe('lifecycle rights', () => {
  it('a lead submits and withdraws a draft of an open call, and manages the team', () => {
    expect(lifecycleRights({ ...draft, myRole: 'lead' }, openCall, me)).toEqual({
      submit: true,
      withdraw: true,
      manage: false,
      review: false,
      team: true,
    });
  });

  it('a co-author submits but neither withdraws nor manages the team; a commenter does nothing', () => {
    const co = lifecycleRights({ ...draft, myRole: 'co-author' }, openCall, me);
    expect(co.submit).toBe(true);
    expect(co.withdraw || co.team || co.manage).toBe(false);
    expect(Object.values(lifecycleRights({ ...draft, myRole: 'commenter' }, openCall, me))).toEqual(
      [false, false, false, false, false],
    );
  });

  it('nobody submits once the call is closed, nor a proposal already submitted', () => {
    const closed = { ...openCall, status: 'closed' as const };
    expect(lifecycleRights({ ...draft, myRole: 'lead' }, closed, me).submit).toBe(false);
    expect(
      lifecycleRights({ ...draft, status: 'submitted', myRole: 'lead' }, openCall, me).submit,
    ).toBe(false);
  });

  it('call owners assign and decide only while a decision is pending', () => {
    const owner = { ...openCall, canManage: true };
    expect(lifecycleRights({ ...draft }, owner, me).manage).toBe(false);
    expect(lifecycleRights({ ...draft, status: 'submitted' }, owner, me).manage).toBe(true);
    expect(lifecycleRights({ ...draft, status: 'in-review' }, owner, me).manage).toBe(true);
    expect(lifecycleRights({ ...draft, status: 'funded' }, owner, me).manage).toBe(false);
    expect(lifecycleRights({ ...draft, status: 'withdrawn' }, owner, me).manage).toBe(false);
  });

  it('only an assigned reviewer reviews, and only before the decision', () => {
    const assigned = { ...draft, status: 'in-review' as const, reviewers: [me] };
    expect(lifecycleRights(assigned, openCall, me).review).toBe(true);
    expect(lifecycleRights(assigned, openCall, 'b'.repeat(24)).review).toBe(false);
    expect(lifecycleRights(assigned, openCall, undefined).review).toBe(false);
    expect(lifecycleRights({ ...assigned, status: 'not-funded' }, openCall, me).review).toBe(false);
  });

  it('withdrawn and decided proposals are final for the lead', () => {
    for (const status of ['withdrawn', 'funded', 'not-funded'] as const) {
      const rights = lifecycleRights({ ...draft, status, myRole: 'lead' }, openCall, me);
      expect(rights.submit || rights.withdraw).toBe(false);
    }
  });
});

import { identityRoutes, pointsRoutes, publishedRuleIds } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** What `invalidate()` reruns when an award arrives live. */
export const pointsDependency = 'agora:points';

export const ruleFilters = [...publishedRuleIds, 'charge', 'adjustment', 'reversal'] as const;

/**
 * My balance, level, the first page of my history (filters `?rule=` and `?sign=award|debit`) and
 * one leaderboard (`?period=all|month`, `?scope=country`), with the names of those on it.
 */
export const load = (async ({ parent, depends, url }) => {
  depends(pointsDependency);
  await parent();
  const rule = ruleFilters.find((r) => r === url.searchParams.get('rule'));
  const asked = url.searchParams.get('sign');
  const sign: 'award' | 'debit' | undefined =
    asked === 'award' ? 'award' : asked === 'debit' ? 'debit' : undefined;
  const period = url.searchParams.get('period') === 'month' ? 'month' : 'all';
  const country = url.searchParams.get('scope') === 'country' ? session.user?.country : undefined;
  try {
    // The summary first: it records my country, which the country board reads.
    const me = await session.api.request(pointsRoutes.me, {});
    const [ledger, board] = await Promise.all([
      session.api.request(pointsRoutes.ledger, {
        query: { limit: 20, ...(rule ? { rule } : {}), ...(sign ? { sign } : {}) },
      }),
      session.api.request(pointsRoutes.leaderboard, {
        query: { period, limit: 10, ...(country ? { country } : {}) },
      }),
    ]);
    const names: Record<string, string> = {};
    await Promise.all(
      board.entries.map(async (e) => {
        const member = await session.api
          .request(identityRoutes.memberGet, { params: { id: e.memberId } })
          .catch(() => null);
        if (member) names[e.memberId] = member.displayName;
      }),
    );
    return { me, ledger, board, names, filters: { rule, sign, period, country: !!country } };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;

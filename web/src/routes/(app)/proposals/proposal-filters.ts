import { proposalStatuses, type ProposalStatus } from '@agora/proto';

/** The list's filters, read from the URL (shareable, back-button friendly); mine is the default. */
export interface ProposalFilters {
  callId?: string;
  country?: string;
  status?: ProposalStatus;
  mine: boolean;
  q?: string;
}

export function filtersOf(url: URL): ProposalFilters {
  const get = (key: string) => url.searchParams.get(key)?.trim() || undefined;
  const status = get('status');
  const callId = get('call');
  const country = get('country');
  return {
    callId: callId && /^[a-f0-9]{24}$/.test(callId) ? callId : undefined,
    country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
    status: proposalStatuses.find((s) => s === status),
    mine: url.searchParams.get('mine') !== '0',
    q: get('q')?.slice(0, 200),
  };
}

/** The filters as the URL's query (the inverse of `filtersOf`; defaults left out). */
export function queryOf(filters: ProposalFilters): string {
  const chosen: [string, string][] = [];
  if (filters.q?.trim()) chosen.push(['q', filters.q.trim()]);
  if (filters.callId) chosen.push(['call', filters.callId]);
  if (filters.country) chosen.push(['country', filters.country]);
  if (filters.status) chosen.push(['status', filters.status]);
  if (!filters.mine) chosen.push(['mine', '0']);
  return chosen.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** The filters as the API's query (GET /api/proposals). */
export function apiQueryOf(filters: ProposalFilters) {
  return {
    ...(filters.callId ? { callId: filters.callId } : {}),
    ...(filters.country ? { country: filters.country } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.mine ? { mine: 'true' } : {}),
    limit: 100,
  };
}

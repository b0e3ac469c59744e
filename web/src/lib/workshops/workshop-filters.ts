import { workshopFormats, type WorkshopFormat } from '@agora/proto';

/** The workshop list's filters, read from the URL (shareable); upcoming ones are the default. */
export interface WorkshopFilters {
  country?: string;
  language?: string;
  format?: WorkshopFormat;
  upcoming: boolean;
  mine: boolean;
}

export function filtersOf(url: URL): WorkshopFilters {
  const get = (key: string) => url.searchParams.get(key)?.trim() || undefined;
  const country = get('country');
  const language = get('language');
  const format = get('format');
  return {
    ...(country && /^[A-Z]{2}$/.test(country) ? { country } : {}),
    ...(language && /^[a-z]{2}$/.test(language) ? { language } : {}),
    ...(workshopFormats.some((f) => f === format) ? { format: format as WorkshopFormat } : {}),
    upcoming: url.searchParams.get('upcoming') !== '0',
    mine: url.searchParams.get('mine') === '1',
  };
}

/** The filters as the page URL's query (the inverse of `filtersOf`; defaults left out). */
export function queryOf(filters: WorkshopFilters): string {
  const chosen: [string, string][] = [];
  if (filters.country) chosen.push(['country', filters.country]);
  if (filters.language) chosen.push(['language', filters.language]);
  if (filters.format) chosen.push(['format', filters.format]);
  if (!filters.upcoming) chosen.push(['upcoming', '0']);
  if (filters.mine) chosen.push(['mine', '1']);
  return chosen.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** The filters as `GET /api/workshops`'s query. */
export function apiQueryOf(filters: WorkshopFilters) {
  return {
    ...(filters.country ? { country: filters.country } : {}),
    ...(filters.language ? { language: filters.language } : {}),
    ...(filters.format ? { format: filters.format } : {}),
    ...(filters.upcoming ? { upcoming: 'true' } : {}),
    ...(filters.mine ? { mine: 'true' } : {}),
    limit: 100,
  };
}

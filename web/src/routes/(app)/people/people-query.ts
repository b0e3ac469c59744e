import { expertiseAreas, sectors } from '@agora/proto';

export const PAGE_SIZE = 24;

type Sector = (typeof sectors)[number];
type Expertise = (typeof expertiseAreas)[number];

/** The directory's filters as the address holds them (so a search can be shared and reloaded). */
export interface PeopleQuery {
  q: string;
  country: string;
  sector: Sector | '';
  expertise: Expertise | '';
  language: string;
  page: number;
}

export function queryOf(url: URL): PeopleQuery {
  const get = (name: string) => url.searchParams.get(name)?.trim() ?? '';
  const sector = get('sector');
  const expertise = get('expertise');
  const page = Number.parseInt(get('page'), 10);
  return {
    q: get('q').slice(0, 80),
    country: /^[A-Z]{2}$/.test(get('country')) ? get('country') : '',
    sector: (sectors as readonly string[]).includes(sector) ? (sector as Sector) : '',
    expertise: (expertiseAreas as readonly string[]).includes(expertise)
      ? (expertise as Expertise)
      : '',
    language: /^[a-z]{2}$/.test(get('language')) ? get('language') : '',
    page: Number.isFinite(page) && page > 1 ? Math.min(page, 400) : 1,
  };
}

/** The address of a directory page for these filters (empty ones left out). */
export function hrefOf(query: PeopleQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.country) params.set('country', query.country);
  if (query.sector) params.set('sector', query.sector);
  if (query.expertise) params.set('expertise', query.expertise);
  if (query.language) params.set('language', query.language);
  if (query.page > 1) params.set('page', String(query.page));
  const search = params.toString();
  return search ? `?${search}` : '?';
}

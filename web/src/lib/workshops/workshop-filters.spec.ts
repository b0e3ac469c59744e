import { describe, expect, it } from 'vitest';
import { apiQueryOf, filtersOf, queryOf } from './workshop-filters.js';

const at = (qs: string) => new URL(`http://agora.test/workshops${qs}`);

describe('workshop list filters', () => {
  it('default to upcoming workshops of every country', () => {
    expect(filtersOf(at(''))).toEqual({ upcoming: true, mine: false });
    expect(queryOf(filtersOf(at('')))).toBe('');
    expect(apiQueryOf(filtersOf(at('')))).toEqual({ upcoming: 'true', limit: 100 });
  });

  it('read every filter from the URL and write them back', () => {
    const filters = filtersOf(at('?country=TN&language=ar&format=mixed&upcoming=0&mine=1'));
    expect(filters).toEqual({
      country: 'TN',
      language: 'ar',
      format: 'mixed',
      upcoming: false,
      mine: true,
    });
    expect(filtersOf(at(`?${queryOf(filters)}`))).toEqual(filters);
    expect(apiQueryOf(filters)).toEqual({
      country: 'TN',
      language: 'ar',
      format: 'mixed',
      mine: 'true',
      limit: 100,
    });
  });

  it('drop malformed values instead of sending them', () => {
    expect(filtersOf(at('?country=tunisia&language=arabic&format=hybrid'))).toEqual({
      upcoming: true,
      mine: false,
    });
  });
});

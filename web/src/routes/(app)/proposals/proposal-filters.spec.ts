import { describe, expect, it } from 'vitest';
import { apiQueryOf, filtersOf, queryOf } from './proposal-filters.js';

const call = 'c'.repeat(24);
const at = (qs: string) => new URL(`http://agora.test/proposals${qs}`);

describe('proposal list filters', () => {
  it('default to my proposals, nothing else', () => {
    expect(filtersOf(at(''))).toEqual({ mine: true });
    expect(apiQueryOf(filtersOf(at('')))).toEqual({ mine: 'true', limit: 100 });
    expect(queryOf(filtersOf(at('')))).toBe('');
  });

  it('read every filter from the URL and write them back', () => {
    const filters = filtersOf(
      at(`?q=%20water%20gardens%20&call=${call}&country=TN&status=in-review&mine=0`),
    );
    expect(filters).toEqual({
      q: 'water gardens',
      callId: call,
      country: 'TN',
      status: 'in-review',
      mine: false,
    });
    expect(filtersOf(at(`?${queryOf(filters)}`))).toEqual(filters);
    expect(apiQueryOf(filters)).toEqual({
      q: 'water gardens',
      callId: call,
      country: 'TN',
      status: 'in-review',
      limit: 100,
    });
  });

  it('drop malformed values instead of sending them', () => {
    expect(filtersOf(at('?call=nope&country=tunisia&status=approved&q=%20%20'))).toEqual({
      mine: true,
    });
    expect(filtersOf(at(`?q=${'x'.repeat(300)}`)).q).toHaveLength(200);
  });
});

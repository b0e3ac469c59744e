import { describe, expect, it } from 'vitest';
import { publishedRuleIds } from '@agora/proto';
import { ruleLabel, signedPoints, sourceHref } from './rule-labels.js';

describe('points labels', () => {
  it('names every published rule (none falls back to its id)', () => {
    for (const id of publishedRuleIds) expect(ruleLabel(id)).not.toBe(id);
    expect(ruleLabel('a-new-rule')).toBe('a-new-rule');
  });

  it('signs points with a real minus sign', () => {
    expect(signedPoints(20, 'en')).toBe('+20');
    expect(signedPoints(-1500, 'en')).toBe('−1,500');
  });

  it('links sources that have a page, and only those', () => {
    expect(sourceHref('proposal', 'abc')).toBe('/proposals/abc');
    expect(sourceHref('post', 'abc')).toBeNull();
  });
});

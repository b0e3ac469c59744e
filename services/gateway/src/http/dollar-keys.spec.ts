import { describe, expect, it } from 'vitest';
import { findDollarKey } from './dollar-keys.js';

describe('findDollarKey', () => {
  it('finds an operator at any depth and in arrays', () => {
    expect(findDollarKey({ email: { $gt: '' } })).toEqual(['email', '$gt']);
    expect(findDollarKey({ a: [{ ok: 1 }, { b: { $where: 'x' } }] })).toEqual([
      'a',
      '1',
      'b',
      '$where',
    ]);
    expect(findDollarKey([{ $ne: null }])).toEqual(['0', '$ne']);
    expect(findDollarKey({ 'profile.$x': 1 })).toEqual(['profile.$x']);
  });

  it('leaves ordinary input alone, including dollars inside values', () => {
    expect(findDollarKey({ email: 'a$b@example.org', price: '$5', list: ['$gt'] })).toBeUndefined();
    expect(findDollarKey('$gt')).toBeUndefined();
    expect(findDollarKey(null)).toBeUndefined();
  });

  it('refuses absurdly deep nesting', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100; i += 1) deep = { x: deep };
    expect(findDollarKey(deep)).toBeDefined();
  });
});

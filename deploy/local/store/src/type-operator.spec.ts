import { Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { Filter } from './query.js';
import { bsonTypeCode } from './type-operator.js';

const values: Record<string, unknown> = {
  long: Long.fromNumber(7),
  dec: Decimal128.fromString('1.5'),
  oid: new ObjectId(),
  ts: new Timestamp({ t: 1, i: 1 }),
  date: new Date(0),
  arrOfInts: [1, 2],
  emptyArr: [],
  obj: { a: 1 },
  int: 5,
  big: 2 ** 40,
  dbl: 5.5,
  str: 's',
  nul: null,
  bool: true,
};

const matching = (type: unknown) =>
  Object.entries(values)
    .filter(([, v]) => new Filter({ v: { $type: type } }).test({ v }))
    .map(([k]) => k);

describe('$type', () => {
  it('matches by exact BSON type, arrays by themselves or by any element', () => {
    expect(matching('number')).toEqual(['long', 'dec', 'arrOfInts', 'int', 'big', 'dbl']);
    expect(matching('int')).toEqual(['arrOfInts', 'int']);
    expect(matching('double')).toEqual(['big', 'dbl']);
    expect(matching('array')).toEqual(['arrOfInts', 'emptyArr']);
    expect(matching('object')).toEqual(['obj']);
    expect(matching('string')).toEqual(['str']);
    expect(matching('null')).toEqual(['nul']);
    expect(matching(['bool', 'date'])).toEqual(['date', 'bool']);
    expect(matching(16)).toEqual(['arrOfInts', 'int']);
    expect(matching('objectId')).toEqual(['oid']);
    expect(matching(7)).toEqual(['oid']);
    expect(matching('long')).toEqual(['long']);
    expect(matching('decimal')).toEqual(['dec']);
    expect(matching('timestamp')).toEqual(['ts']);
    expect(new Filter({ v: { $type: 'string' } }).test({})).toBe(false);
  });

  it('knows the BSON type codes of values the store keeps unpromoted', () => {
    expect(bsonTypeCode(values.oid)).toBe(7);
    expect(bsonTypeCode(values.ts)).toBe(17);
    expect(bsonTypeCode(values.long)).toBe(18);
    expect(bsonTypeCode(values.dec)).toBe(19);
    expect(bsonTypeCode(-0)).toBe(1);
  });

  it("refuses aliases outside the documented subset (e.g. 'javascript') rather than guess", () => {
    expect(() => new Filter({ v: { $type: 'javascript' } })).toThrow(/\$type 'javascript'/);
    expect(() => new Filter({ v: { $type: 'undefined' } })).toThrow(/\$type 'undefined'/);
  });
});

import { ObjectId } from 'bson';
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { project } from './commands/shared.js';

type Doc = Record<string, unknown>;

/** The general path: mingo's projection, `_id` moved first (what project() did for every projection). */
function viaMingo(docs: Doc[], projection: Doc): Doc[] {
  return new Query({})
    .find(docs, projection)
    .all()
    .map((d) => {
      const doc = d as Doc;
      if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
      const { _id, ...rest } = doc;
      return { _id, ...rest };
    });
}

describe('top-level projections applied by the store itself', () => {
  // stored documents always hold _id first (or none, in a $lookup'd or aggregated shape)
  const docs: Doc[] = [
    { _id: new ObjectId(), a: 1, b: { c: 2 }, z: [1, { y: 2 }], m: null, t: new Date(0) },
    { a: 'no id', z: [] },
    { _id: 7, b: 'x', outbox: [{ _id: 'e1' }], wordPrefixes: ['he', 'hel'], reports: [] },
    { _id: 'string id', z: 1, q: { a: 1 }, a: 2 },
  ];
  const projections: Doc[] = [
    { a: 1 },
    { z: 1, a: 1 },
    { z: true, _id: 0, a: 1 },
    { a: 0, z: 0 },
    { outbox: 0, wordPrefixes: 0, reports: 0 },
    { _id: 0 },
    { _id: 1 },
    { _id: 0, b: false },
    { missing: 1 },
    { missing: 0 },
  ];

  it('gives the fields mingo’s projection gives, in the stored document’s order (as mongod)', () => {
    for (const p of projections) {
      const ours = project(docs, p);
      expect(ours, JSON.stringify(p)).toEqual(viaMingo(docs, p));
      // mongod's inclusion walks the stored document: its field order, _id first
      ours.forEach((d, i) =>
        expect(Object.keys(d), JSON.stringify(p)).toEqual(
          Object.keys(docs[i]!).filter((k) => k in d),
        ),
      );
    }
    expect(Object.keys(project([docs[3]!], { z: 1, a: 1 })[0]!)).toEqual(['_id', 'z', 'a']);
  });

  it('leaves dotted paths, other values and mixed projections to the general path', () => {
    expect(project(docs.slice(0, 1), { 'b.c': 1 })).toEqual([{ _id: docs[0]!._id, b: { c: 2 } }]);
    expect(() => project(docs, { a: 1, b: 0 })).toThrow(/exclusion and inclusion/);
  });
});

// "Fail loudly, never guess": what the embedded store does not support is refused with a
// MongoDB-shaped error naming the feature, and refusing changes nothing. Unknown commands and
// operators fail the same way on MongoDB, so those run everywhere; the rest are embedded-only.
import { describe, expect, it } from 'vitest';
import { Decimal128, Long, ObjectId } from 'mongodb';
import { embeddedOnly, errorOf, indexNames, useStore } from './store-fixture.js';

const f = useStore('refusals');
/** A test that runs on the embedded store only; under MONGO_URL it is skipped with the reason shown. */
function itEmbedded(name: string, fn: () => Promise<void>): void {
  it(name, async (ctx) => {
    ctx.skip(Boolean(embeddedOnly), embeddedOnly);
    await fn();
  });
}

function expectServerError(err: Record<string, unknown>, ...mentions: RegExp[]): void {
  expect(err.name).toBe('MongoServerError');
  expect(typeof err.code).toBe('number');
  expect(err.ok ?? 0).toBe(0);
  const msg = String(err.errmsg ?? err.message);
  for (const m of mentions) expect(msg).toMatch(m);
}

describe('store conformance: refusals', () => {
  it('an unknown command → 59 CommandNotFound naming it', async () => {
    const err = await errorOf(() => f.db.command({ frobnicate: 1 }));
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
    expect(String(err.errmsg)).toContain('frobnicate');
  });

  it('an unknown query operator → 2 BadValue naming it', async () => {
    const err = await errorOf(() => f.coll('r').countDocuments({ a: { $almost: 1 } }));
    expect(err.code).toBe(2);
    expect(String(err.errmsg)).toContain('$almost');
  });

  itEmbedded('$text search is refused as unsupported', async () => {
    const c = f.coll('r_text');
    await c.insertOne({ body: 'hello world' });
    const err = await errorOf(() => c.find({ $text: { $search: 'hello' } }).toArray());
    expectServerError(err, /\$text/, /not supported|unsupported/i);
    const idx = await errorOf(() => c.createIndex({ body: 'text' }));
    expectServerError(idx, /text/);
    expect(await indexNames(c)).toEqual(['_id_']);
  });

  itEmbedded('collation on find, update, aggregate and index creation is refused', async () => {
    const c = f.coll('r_collation');
    await c.insertOne({ _id: 1, name: 'Éléni' });
    const collation = { locale: 'en', strength: 2 };
    expectServerError(
      await errorOf(() => c.find({ name: 'eleni' }, { collation }).toArray()),
      /collation/i,
    );
    expectServerError(
      await errorOf(() => c.updateOne({ name: 'eleni' }, { $set: { x: 1 } }, { collation })),
      /collation/i,
    );
    expectServerError(
      await errorOf(() => c.aggregate([{ $match: {} }], { collation }).toArray()),
      /collation/i,
    );
    expectServerError(await errorOf(() => c.createIndex({ name: 1 }, { collation })), /collation/i);
    expectServerError(
      await errorOf(() => f.db.createCollection('r_coll2', { collation })),
      /collation/i,
    );
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, name: 'Éléni' });
  });

  itEmbedded('geo queries and geo indexes are refused', async () => {
    const c = f.coll('r_geo');
    await c.insertOne({ loc: { type: 'Point', coordinates: [2.17, 41.38] } });
    const point = { type: 'Point', coordinates: [2.17, 41.38] };
    expectServerError(await errorOf(() => c.createIndex({ loc: '2dsphere' })), /2dsphere/);
    expectServerError(
      await errorOf(() =>
        c.find({ loc: { $near: { $geometry: point, $maxDistance: 10 } } }).toArray(),
      ),
      /\$near/,
    );
    expectServerError(
      await errorOf(() =>
        c.find({ loc: { $geoWithin: { $centerSphere: [[2.17, 41.38], 0.01] } } }).toArray(),
      ),
      /\$geoWithin/,
    );
  });

  itEmbedded(
    'Decimal128 arithmetic ($inc by or on a Decimal128) is refused and the value is untouched',
    async () => {
      const c = f.coll('r_decimal');
      await c.insertOne({ _id: 1, amount: Decimal128.fromString('10.50'), n: 1 });
      expectServerError(
        await errorOf(() =>
          c.updateOne({ _id: 1 }, { $inc: { amount: Decimal128.fromString('0.25') } }),
        ),
        /Decimal128/i,
      );
      expectServerError(
        await errorOf(() => c.updateOne({ _id: 1 }, { $inc: { n: Decimal128.fromString('1') } })),
        /Decimal128/i,
      );
      const doc = await c.findOne({ _id: 1 });
      expect((doc?.amount as Decimal128).toString()).toBe('10.50');
      expect(doc?.n).toBe(1);
    },
  );

  itEmbedded(
    'multi-document transactions are refused; nothing written inside one is kept',
    async () => {
      const c = f.coll('r_txn');
      const session = f.client.startSession();
      try {
        const err = await errorOf(() =>
          session.withTransaction(async () => {
            await c.insertOne({ inTxn: 1 }, { session });
            await c.insertOne({ inTxn: 2 }, { session });
          }),
        );
        expect(String(err.message)).toMatch(/transaction|retryable writes|replica set/i);
      } finally {
        await session.endSession();
      }
      expect(await c.countDocuments()).toBe(0);

      const conn = await f.mongoose();
      const Entry = conn.model(
        'TxnEntry',
        new (await import('mongoose')).Schema({ v: Number }),
        'r_txn',
      );
      await expect(
        conn.transaction(async (s) => Entry.create([{ v: 1 }], { session: s })),
      ).rejects.toThrow();
      expect(await Entry.countDocuments()).toBe(0);
    },
  );

  itEmbedded(
    'Long arithmetic, $where, pipeline-style updates, $out/$merge and hashed indexes are refused',
    async () => {
      const c = f.coll('r_misc');
      await c.insertOne({ _id: 1, big: Long.fromString('9007199254740993'), n: 1 });
      expectServerError(
        await errorOf(() => c.updateOne({ _id: 1 }, { $inc: { big: 1 } })),
        /Long|int64/i,
      );
      expectServerError(
        await errorOf(() => c.updateOne({ _id: 1 }, { $inc: { n: Long.fromNumber(1) } })),
        /Long|int64/i,
      );
      expectServerError(await errorOf(() => c.find({ $where: 'this.n > 0' }).toArray()), /\$where/);
      expectServerError(
        await errorOf(() => c.updateOne({ _id: 1 }, [{ $set: { m: '$n' } }])),
        /pipeline/i,
      );
      expectServerError(
        await errorOf(() => c.aggregate([{ $match: {} }, { $out: 'copy' }]).toArray()),
        /\$out/,
      );
      expectServerError(
        await errorOf(() => c.aggregate([{ $merge: { into: 'copy' } }]).toArray()),
        /\$merge/,
      );
      expectServerError(await errorOf(() => c.createIndex({ n: 'hashed' })), /hashed/);
      const doc = await c.findOne({ _id: 1 }, { promoteLongs: false });
      expect((doc?.big as Long).toString()).toBe('9007199254740993');
      expect(doc?.n).toBe(1);
      expect(await f.db.listCollections({ name: 'copy' }).toArray()).toEqual([]);
    },
  );

  itEmbedded(
    "$type aliases outside the subset ('javascript') are refused, not guessed",
    async () => {
      const c = f.coll('r_type');
      await c.insertOne({ ref: new ObjectId() });
      expectServerError(
        await errorOf(() => c.find({ ref: { $type: 'javascript' } }).toArray()),
        /\$type/,
        /javascript/,
      );
    },
  );

  itEmbedded('an unsupported aggregation expression operator is refused, not ignored', async () => {
    const c = f.coll('r_expr');
    await c.insertOne({ a: 1 });
    const err = await errorOf(() =>
      c.aggregate([{ $project: { x: { $frobnicateExpr: '$a' } } }]).toArray(),
    );
    expect(err.name).toBe('MongoServerError');
    expect(String(err.errmsg)).toContain('$frobnicateExpr');
  });
});

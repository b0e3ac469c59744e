// Upserts: the new document is seeded from the filter's equality conditions, $setOnInsert only
// applies on insert, and mongoose's timestamps/versionKey/defaults upserts land as on MongoDB.
import { describe, expect, it } from 'vitest';
import { Schema, type Document as MDoc } from 'mongoose';
import { ObjectId } from 'mongodb';
import { useStore } from './store-fixture.js';

const f = useStore('upsert');

describe('store conformance: upserts', () => {
  it('seeds the inserted document from equality conditions (plain, $eq, $and, dotted, _id) but not ranges', async () => {
    const c = f.coll('ups_seed');
    const res = await c.updateOne(
      {
        email: 'aya@example.org',
        role: { $eq: 'member' },
        $and: [{ space: 's1' }, { age: { $gt: 18 } }],
        'profile.lang': 'ar',
      },
      { $set: { name: 'Aya' } },
      { upsert: true },
    );
    expect(res.upsertedCount).toBe(1);
    expect(res.matchedCount).toBe(0);
    expect(res.upsertedId).toBeInstanceOf(ObjectId);
    const doc = await c.findOne({ _id: res.upsertedId! });
    expect(doc).toEqual({
      _id: res.upsertedId,
      email: 'aya@example.org',
      role: 'member',
      space: 's1',
      profile: { lang: 'ar' },
      name: 'Aya',
    });
    const withId = await c.updateOne({ _id: 'fixed-id' }, { $set: { v: 1 } }, { upsert: true });
    expect(withId.upsertedId).toBe('fixed-id');
    expect(await c.findOne({ _id: 'fixed-id' })).toEqual({ _id: 'fixed-id', v: 1 });
  });

  it('seeds from a one-element $in, never from a regex or a multi-element $in', async () => {
    const c = f.coll('ups_seed_in');
    const res = await c.updateOne(
      { tag: { $in: ['x'] }, name: /^A/, kind: { $in: ['a', 'b'] } },
      { $set: { v: 1 } },
      { upsert: true },
    );
    expect(await c.findOne({ _id: res.upsertedId! }, { projection: { _id: 0 } })).toEqual({
      tag: 'x',
      v: 1,
    });
  });

  it('$setOnInsert applies only when the upsert inserts', async () => {
    const c = f.coll('ups_soi');
    const update = {
      $setOnInsert: { createdAt: new Date('2026-01-01T00:00:00Z'), n: 0 },
      $inc: { hits: 1 },
    };
    const first = await c.updateOne({ key: 'k' }, update, { upsert: true });
    expect(first.upsertedCount).toBe(1);
    const second = await c.updateOne(
      { key: 'k' },
      { $setOnInsert: { createdAt: new Date('2030-01-01T00:00:00Z'), n: 99 }, $inc: { hits: 1 } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ key: 'k' }, { projection: { _id: 0 } })).toEqual({
      key: 'k',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      n: 0,
      hits: 2,
    });
  });

  it('upsert with a replacement document keeps the filter _id', async () => {
    const c = f.coll('ups_replace');
    const res = await c.replaceOne({ _id: 7 }, { name: 'seven' }, { upsert: true });
    expect(res.upsertedId).toBe(7);
    expect(await c.findOne({ _id: 7 })).toEqual({ _id: 7, name: 'seven' });
  });

  it('updateMany with upsert inserts exactly one document when nothing matches', async () => {
    const c = f.coll('ups_many');
    const res = await c.updateMany({ tag: 'none' }, { $set: { seen: true } }, { upsert: true });
    expect(res.upsertedCount).toBe(1);
    expect(await c.find({}, { projection: { _id: 0 } }).toArray()).toEqual([
      { tag: 'none', seen: true },
    ]);
  });

  it('mongoose upsert with timestamps seeds createdAt, updatedAt, __v and schema defaults via $setOnInsert', async () => {
    const conn = await f.mongoose();
    const schema = new Schema(
      {
        email: { type: String, required: true },
        name: String,
        status: { type: String, default: 'active' },
        points: { type: Number, default: 0 },
      },
      { timestamps: true },
    );
    const Member = conn.model('UpsertMember', schema, 'ups_members');
    const before = Date.now();
    const created = await Member.findOneAndUpdate(
      { email: 'nour@example.org' },
      { $set: { name: 'Nour' } },
      { upsert: true, returnDocument: 'after' },
    ).lean<Record<string, unknown>>();
    expect(created).toMatchObject({
      email: 'nour@example.org',
      name: 'Nour',
      status: 'active',
      points: 0,
      __v: 0,
    });
    expect(created?.createdAt).toBeInstanceOf(Date);
    expect(created?.updatedAt).toBeInstanceOf(Date);
    expect((created?.createdAt as Date).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const createdAt = created?.createdAt as Date;

    await new Promise((r) => setTimeout(r, 20));
    const again = await Member.findOneAndUpdate(
      { email: 'nour@example.org' },
      { $set: { name: 'Nour B.' }, $inc: { points: 5 } },
      { upsert: true, returnDocument: 'after' },
    ).lean<Record<string, unknown>>();
    expect(again).toMatchObject({ name: 'Nour B.', points: 5, status: 'active', __v: 0 });
    expect(again?.createdAt).toEqual(createdAt);
    expect((again?.updatedAt as Date).getTime()).toBeGreaterThan(createdAt.getTime());
    expect(await Member.countDocuments()).toBe(1);

    const upd = await Member.updateOne(
      { email: 'sami@example.org' },
      { $set: { name: 'Sami' } },
      { upsert: true },
    );
    expect(upd.upsertedCount).toBe(1);
    const sami = await Member.findOne({ email: 'sami@example.org' }).lean<
      Record<string, unknown>
    >();
    expect(sami).toMatchObject({ name: 'Sami', status: 'active', points: 0, __v: 0 });
    expect(sami?.createdAt).toBeInstanceOf(Date);
  });

  it('mongoose document save/increment keeps __v and timestamps consistent', async () => {
    const conn = await f.mongoose();
    interface Note extends MDoc {
      title: string;
      tags: string[];
    }
    const Note = conn.model<Note>(
      'UpsertNote',
      new Schema({ title: String, tags: [String] }, { timestamps: true }),
    );
    const note = await Note.create({ title: 'a', tags: ['x'] });
    expect(note.__v).toBe(0);
    note.tags.push('y');
    note.increment();
    await note.save();
    const back = await Note.findById(note._id).lean<Record<string, unknown>>();
    expect(back).toMatchObject({ title: 'a', tags: ['x', 'y'], __v: 1 });
  });
});

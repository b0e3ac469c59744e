// The way our services use mongoose: models with validation, defaults and timestamps, lean
// reads, pagination, populate, atomic updates, deletes, and errors surfacing as MongoDB errors.
import { describe, expect, it } from 'vitest';
import { Schema, Types, type Connection } from 'mongoose';
import { useStore } from './store-fixture.js';

const f = useStore('mongoose');

const spaceSchema = new Schema(
  {
    slug: { type: String, required: true, unique: true },
    title: { type: String, required: true, maxlength: 80 },
    members: [
      new Schema(
        { user: String, role: { type: String, enum: ['owner', 'member'] } },
        { _id: false },
      ),
    ],
    points: { type: Number, default: 0, min: 0 },
    tags: [String],
    archived: { type: Boolean, default: false },
  },
  { timestamps: true },
);
const messageSchema = new Schema(
  {
    space: { type: Schema.Types.ObjectId, ref: 'MgSpace', required: true },
    body: String,
    at: { type: Date, default: () => new Date() },
  },
  { timestamps: false },
);
messageSchema.index({ space: 1, at: -1 });

function define(conn: Connection) {
  return {
    Space: conn.model('MgSpace', spaceSchema),
    Message: conn.model('MgMessage', messageSchema),
  };
}
let defined: ReturnType<typeof define> | undefined;

async function models(): Promise<ReturnType<typeof define>> {
  if (!defined) {
    const m = define(await f.mongoose());
    await m.Space.syncIndexes();
    await m.Message.syncIndexes();
    defined = m;
  }
  return defined;
}

describe('store conformance: mongoose', () => {
  it('create applies defaults and timestamps; findById and lean read it back', async () => {
    const { Space } = await models();
    const space = await Space.create({ slug: 'med-lab', title: 'Med Lab', tags: ['es', 'gr'] });
    expect(space._id).toBeInstanceOf(Types.ObjectId);
    const byId = await Space.findById(space._id);
    expect(byId?.title).toBe('Med Lab');
    expect(byId?.points).toBe(0);
    expect(byId?.archived).toBe(false);
    expect(byId?.createdAt).toBeInstanceOf(Date);
    const lean = await Space.findOne({ slug: 'med-lab' }).lean();
    expect(lean).toMatchObject({
      slug: 'med-lab',
      title: 'Med Lab',
      tags: ['es', 'gr'],
      points: 0,
      __v: 0,
    });
  });

  it('validation errors never reach the store; a duplicate slug comes back as E11000', async () => {
    const { Space } = await models();
    await expect(Space.create({ slug: 'no-title' })).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await Space.create({ slug: 'dup', title: 'first' });
    await expect(Space.create({ slug: 'dup', title: 'second' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { slug: 'dup' },
    });
    expect(await Space.countDocuments({ slug: { $in: ['no-title', 'dup'] } })).toBe(1);
  });

  it('atomic member add/remove with $addToSet/$pull and a guarded $inc', async () => {
    const { Space } = await models();
    const space = await Space.create({ slug: 'atomic', title: 'Atomic' });
    await Space.updateOne(
      { _id: space._id },
      { $addToSet: { members: { user: 'u1', role: 'owner' } } },
    );
    await Space.updateOne(
      { _id: space._id },
      { $addToSet: { members: { user: 'u1', role: 'owner' } } },
    );
    await Space.updateOne(
      { _id: space._id },
      { $push: { members: { user: 'u2', role: 'member' } } },
    );
    // guarded decrement: never below zero
    const dec = await Space.updateOne(
      { _id: space._id, points: { $gte: 5 } },
      { $inc: { points: -5 } },
    );
    expect(dec.modifiedCount).toBe(0);
    await Space.updateOne({ _id: space._id }, { $inc: { points: 7 } });
    await Space.updateOne({ _id: space._id, points: { $gte: 5 } }, { $inc: { points: -5 } });
    expect((await Space.findById(space._id).lean())?.members).toEqual([
      { user: 'u1', role: 'owner' },
      { user: 'u2', role: 'member' },
    ]);
    await Space.updateOne({ _id: space._id }, { $pull: { members: { user: 'u1' } } });
    const back = await Space.findById(space._id).lean();
    expect(back?.points).toBe(2);
    expect(back?.members.map((m) => m.user)).toEqual(['u2']);
  });

  it('document save tracks changes; findByIdAndUpdate/findByIdAndDelete behave', async () => {
    const { Space } = await models();
    const space = await Space.create({ slug: 'doc-save', title: 'Before' });
    space.title = 'After';
    space.tags.push('pt');
    await space.save();
    expect(await Space.findById(space._id).lean()).toMatchObject({ title: 'After', tags: ['pt'] });
    const updated = await Space.findByIdAndUpdate(
      space._id,
      { $set: { archived: true } },
      { returnDocument: 'after' },
    );
    expect(updated?.archived).toBe(true);
    const deleted = await Space.findByIdAndDelete(space._id);
    expect(deleted?.slug).toBe('doc-save');
    expect(await Space.findById(space._id)).toBeNull();
  });

  it('pagination with sort/skip/limit on an indexed compound key, and populate', async () => {
    const { Space, Message } = await models();
    const space = await Space.create({ slug: 'chatty', title: 'Chatty' });
    const base = Date.parse('2026-03-01T00:00:00Z');
    await Message.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        space: space._id,
        body: `m${i}`,
        at: new Date(base + i * 1000),
      })),
    );
    const page2 = await Message.find({ space: space._id })
      .sort({ at: -1 })
      .skip(10)
      .limit(10)
      .lean();
    expect(page2.map((m) => m.body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${19 - i}`));
    const before = await Message.find({ space: space._id, at: { $lt: new Date(base + 5_000) } })
      .sort({ at: -1 })
      .limit(3)
      .lean();
    expect(before.map((m) => m.body)).toEqual(['m4', 'm3', 'm2']);
    const withSpace = await Message.findOne({ body: 'm0' }).populate<{ space: { slug: string } }>(
      'space',
    );
    expect(withSpace?.space.slug).toBe('chatty');
  });

  it('deleteMany/countDocuments/distinct/exists through models', async () => {
    const { Space } = await models();
    await Space.create([
      { slug: 'd1', title: 'x', tags: ['a'] },
      { slug: 'd2', title: 'x', tags: ['b'] },
      { slug: 'd3', title: 'y', tags: ['a', 'c'] },
    ]);
    expect((await Space.distinct('tags', { slug: /^d\d$/ })).sort()).toEqual(['a', 'b', 'c']);
    expect(await Space.exists({ slug: 'd2' })).toMatchObject({
      _id: expect.any(Types.ObjectId) as unknown,
    });
    expect(await Space.exists({ slug: 'zzz' })).toBeNull();
    const del = await Space.deleteMany({ title: 'x', slug: /^d/ });
    expect(del.deletedCount).toBe(2);
    expect(await Space.countDocuments({ slug: /^d\d$/ })).toBe(1);
  });

  it('cursor streaming with eachAsync walks every document across batches', async () => {
    const { Message } = await models();
    const space = new Types.ObjectId();
    await Message.insertMany(Array.from({ length: 333 }, (_, i) => ({ space, body: `s${i}` })));
    let seen = 0;
    await Message.find({ space })
      .batchSize(50)
      .cursor()
      .eachAsync(() => {
        seen += 1;
      });
    expect(seen).toBe(333);
  });
});

// Aggregation stages services use: $match $group $sort $project $limit $skip $unwind $lookup
// $count $facet $addFields, through the driver and a mongoose Model.aggregate.
import { beforeAll, describe, expect, it } from 'vitest';
import { Schema } from 'mongoose';
import type { Document } from 'mongodb';
import { useStore } from './store-fixture.js';

const f = useStore('aggregation');

const orders = [
  { _id: 1, user: 'u1', items: ['a', 'b'], total: 10, country: 'ES' },
  { _id: 2, user: 'u2', items: ['a'], total: 25, country: 'GR' },
  { _id: 3, user: 'u1', items: [], total: 5, country: 'ES' },
  { _id: 4, user: 'u3', items: ['c', 'a', 'b'], total: 40, country: 'TN' },
  { _id: 5, user: 'u2', items: ['b'], total: 15, country: 'GR' },
];
const users = [
  { _id: 'u1', name: 'Aya' },
  { _id: 'u2', name: 'Eleni' },
  { _id: 'u3', name: 'Hedi' },
];

describe('store conformance: aggregation', () => {
  beforeAll(async () => {
    await f.coll('orders').insertMany(orders);
    await f.coll('users').insertMany(users);
  });

  const run = (pipeline: Document[]) => f.coll('orders').aggregate(pipeline).toArray();

  it('$match + $group ($sum, $avg, $min, $max, $push, $addToSet, $first, count) + $sort', async () => {
    const out = await run([
      { $match: { total: { $gte: 5 } } },
      { $sort: { _id: 1 } },
      {
        $group: {
          _id: '$country',
          revenue: { $sum: '$total' },
          orders: { $sum: 1 },
          avg: { $avg: '$total' },
          min: { $min: '$total' },
          max: { $max: '$total' },
          users: { $addToSet: '$user' },
          ids: { $push: '$_id' },
          firstId: { $first: '$_id' },
        },
      },
      { $sort: { revenue: -1, _id: 1 } },
    ]);
    expect(out.map((g) => ({ ...g, users: [...(g.users as string[])].sort() }))).toEqual([
      {
        _id: 'GR',
        revenue: 40,
        orders: 2,
        avg: 20,
        min: 15,
        max: 25,
        users: ['u2'],
        ids: [2, 5],
        firstId: 2,
      },
      {
        _id: 'TN',
        revenue: 40,
        orders: 1,
        avg: 40,
        min: 40,
        max: 40,
        users: ['u3'],
        ids: [4],
        firstId: 4,
      },
      {
        _id: 'ES',
        revenue: 15,
        orders: 2,
        avg: 7.5,
        min: 5,
        max: 10,
        users: ['u1'],
        ids: [1, 3],
        firstId: 1,
      },
    ]);
    const whole = await run([{ $group: { _id: null, n: { $sum: 1 }, total: { $sum: '$total' } } }]);
    expect(whole).toEqual([{ _id: null, n: 5, total: 95 }]);
  });

  it('$project (inclusion, exclusion, computed) and $addFields', async () => {
    const out = await run([
      { $match: { _id: { $in: [1, 2] } } },
      { $sort: { _id: 1 } },
      { $addFields: { itemCount: { $size: '$items' }, vat: { $multiply: ['$total', 0.5] } } },
      {
        $project: {
          _id: 0,
          user: 1,
          itemCount: 1,
          vat: 1,
          label: { $concat: ['$country', '-', '$user'] },
        },
      },
    ]);
    expect(out).toEqual([
      { user: 'u1', itemCount: 2, vat: 5, label: 'ES-u1' },
      { user: 'u2', itemCount: 1, vat: 12.5, label: 'GR-u2' },
    ]);
    const excluded = await run([{ $match: { _id: 3 } }, { $project: { items: 0, country: 0 } }]);
    expect(excluded).toEqual([{ _id: 3, user: 'u1', total: 5 }]);
  });

  it('$sort + $skip + $limit page through results', async () => {
    const out = await run([
      { $sort: { total: -1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $project: { total: 1 } },
    ]);
    expect(out).toEqual([
      { _id: 2, total: 25 },
      { _id: 5, total: 15 },
    ]);
  });

  it('$unwind (plain and preserveNullAndEmptyArrays) then $group counts items', async () => {
    const counts = await run([
      { $unwind: '$items' },
      { $group: { _id: '$items', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(counts).toEqual([
      { _id: 'a', n: 3 },
      { _id: 'b', n: 3 },
      { _id: 'c', n: 1 },
    ]);
    const kept = await run([
      { $match: { _id: { $in: [2, 3] } } },
      { $unwind: { path: '$items', preserveNullAndEmptyArrays: true } },
      { $sort: { _id: 1 } },
      { $project: { items: 1 } },
    ]);
    expect(kept).toEqual([{ _id: 2, items: 'a' }, { _id: 3 }]);
  });

  it('$lookup joins by localField/foreignField', async () => {
    const out = await run([
      { $match: { _id: { $in: [1, 4] } } },
      { $sort: { _id: 1 } },
      { $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'who' } },
      { $project: { _id: 1, who: 1 } },
    ]);
    expect(out).toEqual([
      { _id: 1, who: [{ _id: 'u1', name: 'Aya' }] },
      { _id: 4, who: [{ _id: 'u3', name: 'Hedi' }] },
    ]);
    const none = await run([
      { $match: { _id: 1 } },
      { $lookup: { from: 'no_such_collection', localField: 'user', foreignField: '_id', as: 'x' } },
      { $project: { x: 1 } },
    ]);
    expect(none).toEqual([{ _id: 1, x: [] }]);
  });

  it('$count and $facet (a page plus a total in one round trip)', async () => {
    expect(await run([{ $match: { country: 'ES' } }, { $count: 'n' }])).toEqual([{ n: 2 }]);
    expect(await run([{ $match: { country: 'XX' } }, { $count: 'n' }])).toEqual([]);
    const [facets] = await run([
      { $match: { total: { $gt: 5 } } },
      {
        $facet: {
          page: [{ $sort: { total: 1 } }, { $limit: 2 }, { $project: { _id: 1 } }],
          total: [{ $count: 'n' }],
          byCountry: [{ $group: { _id: '$country', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
        },
      },
    ]);
    expect(facets).toEqual({
      page: [{ _id: 1 }, { _id: 5 }],
      total: [{ n: 4 }],
      byCountry: [
        { _id: 'ES', n: 1 },
        { _id: 'GR', n: 2 },
        { _id: 'TN', n: 1 },
      ],
    });
  });

  it('mongoose Model.aggregate returns plain objects for a leaderboard-style pipeline', async () => {
    const conn = await f.mongoose();
    const Order = conn.model(
      'AggOrder',
      new Schema({ user: String, items: [String], total: Number, country: String }),
      'orders',
    );
    const top = await Order.aggregate<{ _id: string; spent: number }>([
      { $group: { _id: '$user', spent: { $sum: '$total' } } },
      { $sort: { spent: -1, _id: 1 } },
      { $limit: 2 },
    ]);
    expect(top).toEqual([
      { _id: 'u2', spent: 40 },
      { _id: 'u3', spent: 40 },
    ]);
  });

  it('an unknown stage is refused with an error naming it', async () => {
    await expect(run([{ $frobnicate: {} }])).rejects.toMatchObject({
      errmsg: expect.stringContaining('$frobnicate') as unknown,
    });
  });
});

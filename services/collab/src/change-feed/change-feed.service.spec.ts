import { Clock } from '@agora/platform';
import { collabEvents } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHistoryHarness, type HistoryHarness } from '../testing/history-harness.js';
import { ChangeFeed } from './change-feed.service.js';
import { DocChangeRepository, type DocChange } from './doc-change.repository.js';

const doc = (n: number) => `proposal:${n.toString(16).padStart(24, '0')}`;
const member = (c: string) => c.repeat(24);
const type = collabEvents.docChanged.type;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ChangeFeed (real nats-server, embedded store, outbox relay)', () => {
  let h: HistoryHarness;
  let repo: DocChangeRepository;
  const feed = (quiet: number, maxWait: number, r: Pick<DocChangeRepository, 'publish'> = repo) =>
    new ChangeFeed(r as DocChangeRepository, new Clock(), h.logger, {
      COLLAB_FEED_QUIET_MS: quiet,
      COLLAB_FEED_MAX_WAIT_MS: maxWait,
    });
  const dataOf = async (docName: string, n: number) =>
    (await h.waitForEvents(type, n, docName)).map((e) => e.data as DocChange);

  beforeAll(async () => {
    h = await startHistoryHarness('change-feed');
    repo = new DocChangeRepository(h.mongo, h.outbox);
  });
  afterAll(async () => h?.close());

  it('publishes one event per quiet period with every member once, counts and seq range', async () => {
    const f = feed(300, 10_000);
    const name = doc(1);
    for (let seq = 1; seq <= 200; seq += 1) {
      f.record(name, seq % 3 === 0 ? [member('b')] : [member('a')], seq, 2);
    }
    f.record(name, [member('a'), member('c')], 201);
    await sleep(150);
    expect(await h.events(type)).toHaveLength(0); // still within the quiet period
    expect(f.pending()).toEqual([name]);
    const [event] = await dataOf(name, 1);
    expect(event).toEqual({
      docName: name,
      memberIds: [member('a'), member('b'), member('c')],
      updates: 401,
      fromSeq: 1,
      toSeq: 201,
    });
    expect(f.pending()).toEqual([]);
    expect(await repo.last(name)).toMatchObject({ toSeq: 201 });
  });

  it('publishes at least once per maximum wait while edits go on, never one per keystroke', async () => {
    const f = feed(200, 500);
    const name = doc(2);
    let seq = 0;
    const until = Date.now() + 1_600;
    while (Date.now() < until) {
      seq += 1;
      f.record(name, [member('d')], seq);
      await sleep(20);
    }
    await f.flushAll();
    // ~1.6 s of typing every 20 ms (some 70 updates) at most every 500 ms: 3–5 events, not 70
    await dataOf(name, 3);
    await sleep(500); // anything the relay still had to publish
    const periods = await dataOf(name, 3);
    expect(periods.length).toBeGreaterThanOrEqual(3);
    expect(periods.length).toBeLessThanOrEqual(5);
    expect(periods.reduce((n, p) => n + p.updates, 0)).toBe(seq);
    // contiguous, non-overlapping ranges
    for (let i = 1; i < periods.length; i += 1) {
      expect(periods[i]?.fromSeq).toBe((periods[i - 1]?.toSeq ?? 0) + 1);
    }
  }, 20_000);

  it('announces no period without a member (a server change alone)', async () => {
    const f = feed(50, 1_000);
    const name = doc(3);
    f.record(name, [], 7);
    expect(f.pending()).toEqual([]);
    await sleep(200);
    expect((await h.events(type)).filter((e) => (e.data as DocChange).docName === name)).toEqual(
      [],
    );
  });

  it('keeps a period whose write failed and publishes it later, merged with what came after', async () => {
    let failures = 1;
    const flaky = {
      publish: (change: DocChange, at: Date) => {
        if (failures-- > 0) return Promise.reject(new Error('store unavailable'));
        return repo.publish(change, at);
      },
    };
    const f = feed(300, 5_000, flaky);
    const name = doc(4);
    f.record(name, [member('e')], 10);
    await sleep(400); // the first write failed, the period is open again
    f.record(name, [member('f')], 11);
    const [event] = await dataOf(name, 1);
    await sleep(300);
    const all = (await h.events(type)).filter((e) => (e.data as DocChange).docName === name);
    expect(all).toHaveLength(1);
    expect(event).toMatchObject({
      memberIds: [member('e'), member('f')],
      fromSeq: 10,
      toSeq: 11,
      updates: 2,
    });
  });

  it('flushes open periods on shutdown', async () => {
    const f = feed(60_000, 60_000);
    const name = doc(5);
    f.record(name, [member('a')], 3);
    await f.beforeApplicationShutdown();
    const [event] = await dataOf(name, 1);
    expect(event).toMatchObject({ docName: name, toSeq: 3 });
    // the live path's last appends during shutdown are announced at once
    f.record(name, [member('a')], 4);
    expect(f.pending()).toEqual([]);
    const after = await dataOf(name, 2);
    expect(after[1]).toMatchObject({ fromSeq: 4, toSeq: 4 });
  });
});

import { describe, expect, it } from 'vitest';
import { Timeline } from './timeline.js';

interface Msg {
  id: string;
  seq: number;
  body: string;
  version?: number;
}
const msg = (seq: number, body = `m${seq}`, version = 0): Msg => ({
  id: `id${seq}`,
  seq,
  body,
  version,
});
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
const seqs = (t: Timeline<Msg>) => t.messages().map((m) => m.seq);

describe('Timeline', () => {
  it('starts from the newest page and follows the channel from its last message', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(51, 100).reverse(), true);
    expect(seqs(t)).toEqual(range(51, 100).map((m) => m.seq));
    expect(t.syncedThrough).toBe(100);
    expect(t.behind).toBe(false);
    expect(t.reachedStart).toBe(false);
    expect(t.oldestKnown).toBe(51);
  });

  it('an empty channel is synced through 0 and has nothing older', () => {
    const t = new Timeline<Msg>();
    t.addLatest([], false);
    expect(t.syncedThrough).toBe(0);
    expect(t.reachedStart).toBe(true);
    expect(t.addLive(msg(1))).toBe(true);
    expect(t.syncedThrough).toBe(1);
  });

  it('older pages join below without touching the followed end; the last one reaches the start', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(51, 100), true);
    t.addBefore(51, range(1, 50).reverse(), false);
    expect(seqs(t)).toEqual(range(1, 100).map((m) => m.seq));
    expect(t.spans).toEqual([{ from: 1, to: 100 }]);
    expect(t.reachedStart).toBe(true);
  });

  it('live messages in order extend the followed span', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(1, 3), false);
    t.addLive(msg(4));
    t.addLive(msg(5));
    expect(t.syncedThrough).toBe(5);
    expect(t.behind).toBe(false);
  });

  it('a duplicate live delivery is ignored and keeps the held copy', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(1, 3), false);
    expect(t.addLive(msg(3, 'again'))).toBe(false);
    expect(t.addLive(msg(4))).toBe(true);
    expect(t.addLive(msg(4, 'again'))).toBe(false);
    expect(t.messages()).toHaveLength(4);
    expect(t.bySeq(4)?.body).toBe('m4');
  });

  it('a live message past a hole waits beside the followed span until a catch-up fills it', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(1, 3), false);
    t.addLive(msg(6));
    expect(t.syncedThrough).toBe(3);
    expect(t.behind).toBe(true);
    expect(t.gaps()).toEqual([{ from: 4, to: 5 }]);
    // The catch-up answers everything after 3, the already-held 6 included: no duplicate.
    t.addAfter(3, range(4, 6), false);
    expect(seqs(t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.syncedThrough).toBe(6);
    expect(t.behind).toBe(false);
    expect(t.gaps()).toEqual([]);
  });

  it('out-of-order live messages end in order, synced through the highest once contiguous', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(1, 2), false);
    for (const seq of [5, 3, 7, 4, 6]) t.addLive(msg(seq));
    expect(seqs(t)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(t.syncedThrough).toBe(7);
    expect(t.behind).toBe(false);
  });

  it('a catch-up in several pages (hasMore) reaches the head only with the last one', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(1, 10), false);
    t.addLive(msg(250));
    t.addAfter(10, range(11, 110), true);
    expect(t.behind).toBe(true);
    t.addAfter(110, range(111, 210), true);
    t.addAfter(210, range(211, 250), false);
    expect(t.syncedThrough).toBe(250);
    expect(t.behind).toBe(false);
    expect(new Set(seqs(t)).size).toBe(250);
    expect(seqs(t)).toEqual(range(1, 250).map((m) => m.seq));
  });

  it('messages the server leaves out (deleted) leave no gap: coverage comes from the request', () => {
    const t = new Timeline<Msg>();
    t.addLatest([msg(1), msg(2)], false);
    // 3 and 4 were deleted while the member was away; the page after 2 holds only 5.
    t.addAfter(2, [msg(5)], false);
    expect(t.syncedThrough).toBe(5);
    expect(t.gaps()).toEqual([]);
    t.addLive(msg(6));
    expect(t.behind).toBe(false);
  });

  it('an empty final catch-up page confirms the member missed nothing', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(1, 5), false);
    t.addAfter(5, [], false);
    expect(t.syncedThrough).toBe(5);
    expect(t.behind).toBe(false);
  });

  it('a jump far back opens a separate window with a gap to the followed span', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(901, 1000), true);
    const span = t.addWindow(range(400, 449));
    expect(span).toEqual({ from: 400, to: 449 });
    expect(t.gaps()).toEqual([{ from: 450, to: 900 }]);
    expect(t.syncedThrough).toBe(1000);
    expect(t.behind).toBe(false);
    // Filling the gap from its lower side joins the two.
    t.addAfter(449, range(450, 900), false);
    expect(t.spans).toEqual([{ from: 400, to: 1000 }]);
  });

  it('an edit replaces the held message; a page older than the edit does not undo it', () => {
    const t = new Timeline<Msg>({
      fresher: (held, incoming) => (incoming.version ?? 0) >= (held.version ?? 0),
    });
    t.addLatest(range(1, 3), false);
    t.update('id2', (m) => ({ ...m, body: 'edited', version: 1 }));
    expect(t.get('id2')?.body).toBe('edited');
    // A catch-up asked before the edit and answered after it still carries version 0.
    t.addAfter(1, [msg(2, 'm2', 0), msg(3)], false);
    expect(t.get('id2')?.body).toBe('edited');
    expect(t.update('unknown', (m) => m)).toBe(false);
  });

  it('an id never moves to another seq', () => {
    const t = new Timeline<Msg>();
    t.addLatest(range(1, 3), false);
    t.addLive({ id: 'id2', seq: 9, body: 'forged' });
    expect(t.get('id2')?.seq).toBe(2);
    expect(t.bySeq(9)).toBeUndefined();
  });
});

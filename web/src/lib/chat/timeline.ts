/** What the timeline needs of a message: its id and its place in the channel's sequence. */
export interface Sequenced {
  readonly id: string;
  readonly seq: number;
}

/** A run of sequence numbers the timeline knows completely (every message in it is held). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/**
 * One channel's messages as far as this tab knows them, merged from history pages and live events
 * in any order. Seqs run from 1 without gaps on the server, so what is known is a set of spans:
 * a page `after=a` covers `a+1…` up to its last message, a page `before=b` covers its first
 * message up to `b-1`, a live message covers its own seq. Coverage comes from the request's
 * bounds, never from adjacent seqs, so messages the server omits (deleted) leave no false gap.
 *
 * `syncedThrough` is the end of the span the tab follows live: every seq up to it that the first
 * load reached is known; anything newer that arrived by itself (out of order, after a drop) waits
 * beside it until a catch-up `after=syncedThrough` joins them.
 */
export class Timeline<M extends Sequenced> {
  #bySeq = new Map<number, M>();
  #seqOfId = new Map<string, number>();
  /** Known spans, sorted, never touching (adjacent ones are merged). */
  #spans: Span[] = [];
  #synced = 0;
  #head = 0;
  #reachedStart = false;
  readonly #fresher: (held: M, incoming: M) => boolean;

  /**
   * `fresher` tells whether an incoming copy of a held message is newer (a page requested before
   * an edit can answer after it): by default the incoming copy wins.
   */
  constructor({ fresher = () => true }: { fresher?: (held: M, incoming: M) => boolean } = {}) {
    this.#fresher = fresher;
  }

  /** The highest seq the followed span holds without a hole (0 before anything is loaded). */
  get syncedThrough(): number {
    return this.#synced;
  }

  /** The highest seq the tab has heard of. */
  get head(): number {
    return this.#head;
  }

  /** Something newer than `syncedThrough` exists: a catch-up is due. */
  get behind(): boolean {
    return this.#head > this.#synced;
  }

  /** The channel's first message is held (nothing older to load). */
  get reachedStart(): boolean {
    return this.#reachedStart || this.#spans[0]?.from === 1;
  }

  get spans(): readonly Span[] {
    return this.#spans;
  }

  /** Every held message, oldest first. */
  messages(): M[] {
    return [...this.#bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  get(id: string): M | undefined {
    const seq = this.#seqOfId.get(id);
    return seq === undefined ? undefined : this.#bySeq.get(seq);
  }

  bySeq(seq: number): M | undefined {
    return this.#bySeq.get(seq);
  }

  /** The seq of the oldest held message's span start: what a "load older" asks `before`. */
  get oldestKnown(): number | undefined {
    return this.#spans[0]?.from;
  }

  /**
   * Merges a page answered to `after=<after>` (ascending). `hasMore: false` means nothing newer
   * existed then, so the page covers up to its last message or, when empty, confirms `after`.
   */
  addAfter(after: number, messages: readonly M[], hasMore: boolean): void {
    for (const message of messages) this.#put(message);
    const last = messages.reduce((max, m) => Math.max(max, m.seq), after);
    if (last > after) this.#cover(after + 1, last);
    // An empty final page still proves `after` was the end: the followed span may start there.
    if (!hasMore && this.#synced < after && this.#isKnownThrough(after)) this.#synced = after;
    this.#advanceSynced();
  }

  /** Merges a page answered to `before=<before>` (descending or not: order does not matter). */
  addBefore(before: number, messages: readonly M[], hasMore: boolean): void {
    for (const message of messages) this.#put(message);
    if (messages.length === 0) {
      if (!hasMore) this.#reachedStart = true;
      if (!hasMore && before > 1) this.#cover(1, before - 1);
      this.#advanceSynced();
      return;
    }
    const first = messages.reduce((min, m) => Math.min(min, m.seq), before);
    this.#cover(hasMore ? first : 1, before - 1);
    if (!hasMore) this.#reachedStart = true;
    this.#advanceSynced();
  }

  /**
   * The first load: the newest page (`before` the end). `hasMore: false` means the channel starts
   * in it. An empty channel is synced through 0.
   */
  addLatest(messages: readonly M[], hasMore: boolean): void {
    for (const message of messages) this.#put(message);
    if (messages.length === 0) {
      this.#reachedStart = !hasMore;
      return;
    }
    const seqs = messages.map((m) => m.seq);
    const first = Math.min(...seqs);
    const last = Math.max(...seqs);
    this.#cover(hasMore ? first : 1, last);
    if (!hasMore) this.#reachedStart = true;
    if (this.#synced < last) this.#synced = last;
    this.#advanceSynced();
  }

  /**
   * Merges a window of messages around a seq (a jump): it covers from its first to its last
   * message. Returns the covered span.
   */
  addWindow(messages: readonly M[]): Span | undefined {
    if (messages.length === 0) return undefined;
    for (const message of messages) this.#put(message);
    const seqs = messages.map((m) => m.seq);
    const span = { from: Math.min(...seqs), to: Math.max(...seqs) };
    this.#cover(span.from, span.to);
    this.#advanceSynced();
    return span;
  }

  /**
   * A message heard live: stored, its seq covered. Returns false when its seq was already held
   * (a duplicate delivery, or a page brought it first): the held one is kept.
   */
  addLive(message: M): boolean {
    if (this.#bySeq.has(message.seq)) return false;
    this.#put(message);
    this.#cover(message.seq, message.seq);
    this.#advanceSynced();
    return true;
  }

  /**
   * A seq heard live that this timeline does not show (a thread reply, read in its thread): it is
   * known, so it opens no gap.
   */
  skip(seq: number): void {
    this.#cover(seq, seq);
    this.#advanceSynced();
  }

  /** Replaces a held message by a newer state of it (edit, delete, reactions); unknown ones are ignored. */
  update(id: string, change: (message: M) => M): boolean {
    const seq = this.#seqOfId.get(id);
    const held = seq === undefined ? undefined : this.#bySeq.get(seq);
    if (!held) return false;
    this.#bySeq.set(held.seq, change(held));
    return true;
  }

  /** The gaps between held spans (what a "load the missing messages" would fetch). */
  gaps(): Span[] {
    const gaps: Span[] = [];
    this.#spans.forEach((span, i) => {
      const below = this.#spans[i - 1];
      if (below) gaps.push({ from: below.to + 1, to: span.from - 1 });
    });
    return gaps;
  }

  #put(message: M): void {
    const seq = this.#seqOfId.get(message.id);
    // The same id can never move to another seq; a message claiming one is ignored.
    if (seq !== undefined && seq !== message.seq) return;
    const held = this.#bySeq.get(message.seq);
    if (held && !this.#fresher(held, message)) return;
    this.#bySeq.set(message.seq, message);
    this.#seqOfId.set(message.id, message.seq);
    if (message.seq > this.#head) this.#head = message.seq;
  }

  #isKnownThrough(seq: number): boolean {
    if (seq === 0) return true;
    return this.#spans.some((s) => s.from <= seq && seq <= s.to);
  }

  /** The followed span grows into whatever now touches it. */
  #advanceSynced(): void {
    for (const span of this.#spans) {
      if (span.from <= this.#synced + 1 && span.to > this.#synced) this.#synced = span.to;
    }
  }

  #cover(from: number, to: number): void {
    if (to < from) return;
    if (to > this.#head) this.#head = to;
    const merged: Span[] = [];
    let current = { from, to };
    let placed = false;
    for (const span of this.#spans) {
      if (span.to + 1 < current.from) merged.push(span);
      else if (current.to + 1 < span.from) {
        if (!placed) merged.push(current);
        placed = true;
        merged.push(span);
      } else {
        current = { from: Math.min(span.from, current.from), to: Math.max(span.to, current.to) };
      }
    }
    if (!placed) merged.push(current);
    this.#spans = merged;
  }
}

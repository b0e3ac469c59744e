import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  addCardComment,
  BoardInputError,
  cardsMap,
  columnsOf,
  composerAreas,
  readCardComments,
  readCards,
  shownCards,
} from './board-model.js';

const expert = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const other = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from));
const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 15, 0, s));

describe('the board model', () => {
  it('writes a card another replica reads with every field of the contract', () => {
    const a = new Y.Doc();
    const id = addCard(
      a,
      {
        pitchIndex: 1,
        area: 'funding',
        text: '  Try a regional fund  ',
        anchor: 'budget',
        authorId: expert,
      },
      ['funding'],
      at(0),
    );
    const b = new Y.Doc();
    sync(a, b);
    expect(readCards(b)).toEqual([
      {
        id,
        pitchIndex: 1,
        area: 'funding',
        authorId: expert,
        text: 'Try a regional fund',
        anchor: 'budget',
        createdAt: at(0).toISOString(),
      },
    ]);
  });

  it('refuses a card outside the composer areas or against the contract', () => {
    const doc = new Y.Doc();
    const base = { pitchIndex: 0, text: 'x', authorId: expert };
    expect(() => addCard(doc, { ...base, area: 'technology' }, ['funding'])).toThrow(
      BoardInputError,
    );
    expect(() => addCard(doc, { ...base, area: 'funding', text: '   ' }, ['funding'])).toThrow(
      BoardInputError,
    );
    expect(() =>
      addCard(doc, { ...base, area: 'funding', anchor: 'Not A Key' }, ['funding']),
    ).toThrow(BoardInputError);
    expect(readCards(doc)).toEqual([]);
  });

  it('skips entries that do not match the contract (a hostile or older client)', () => {
    const doc = new Y.Doc();
    const bad = new Y.Map<unknown>();
    cardsMap(doc).set('f'.repeat(32), bad);
    bad.set('id', 'f'.repeat(32));
    bad.set('area', 'gossip');
    const mismatched = new Y.Map<unknown>();
    cardsMap(doc).set('e'.repeat(32), mismatched);
    for (const [k, v] of Object.entries({
      id: 'd'.repeat(32),
      pitchIndex: 0,
      area: 'funding',
      authorId: expert,
      text: 'ok',
      createdAt: at(0).toISOString(),
    }))
      mismatched.set(k, v);
    expect(readCards(doc)).toEqual([]);
  });

  it('groups cards into one pitch’s four columns, oldest first', () => {
    const doc = new Y.Doc();
    const all = ['creativity', 'communication-marketing', 'funding', 'technology'] as const;
    addCard(doc, { pitchIndex: 0, area: 'funding', text: 'second', authorId: expert }, all, at(2));
    addCard(doc, { pitchIndex: 0, area: 'funding', text: 'first', authorId: expert }, all, at(1));
    addCard(
      doc,
      { pitchIndex: 1, area: 'technology', text: 'other pitch', authorId: expert },
      all,
      at(3),
    );
    const shown = shownCards(readCards(doc), new Map(), expert);
    const columns = columnsOf(shown, 0);
    expect(Object.keys(columns)).toEqual([...all]);
    expect(columns.funding.map((c) => c.text)).toEqual(['first', 'second']);
    expect(columns.technology).toEqual([]);
  });

  it('shows accepted and pending cards, and a rejected one only to its author', () => {
    const doc = new Y.Doc();
    const areas = ['funding', 'technology'] as const;
    // Distinct times: cards are shown in the order they were written (a tie is any order).
    const ok = addCard(
      doc,
      { pitchIndex: 0, area: 'funding', text: 'ok', authorId: expert },
      areas,
      at(1),
    );
    const refused = addCard(
      doc,
      { pitchIndex: 0, area: 'technology', text: 'no', authorId: expert },
      areas,
      at(2),
    );
    addCard(doc, { pitchIndex: 0, area: 'funding', text: 'new', authorId: expert }, areas, at(3));
    const verdicts = new Map([
      [ok, 'accepted' as const],
      [refused, 'rejected' as const],
    ]);
    const toOther = shownCards(readCards(doc), verdicts, other);
    expect(toOther.map((c) => [c.text, c.verdict])).toEqual([
      ['ok', 'accepted'],
      ['new', 'pending'],
    ]);
    const toAuthor = shownCards(readCards(doc), verdicts, expert);
    expect(toAuthor.find((c) => c.id === refused)).toMatchObject({
      verdict: 'rejected',
      mine: true,
    });
  });

  it('offers an expert only their own area, a participant none', () => {
    expect(composerAreas('expert', 'technology')).toEqual(['technology']);
    expect(composerAreas('expert', null)).toEqual([]);
    expect(composerAreas('participant', null)).toEqual([]);
    expect(composerAreas(null, null)).toEqual([]);
    expect(composerAreas('facilitator', null)).toHaveLength(4);
  });

  it('keeps comments per card, oldest first, and refuses an empty one', () => {
    const doc = new Y.Doc();
    const card = addCard(doc, { pitchIndex: 0, area: 'funding', text: 'x', authorId: expert }, [
      'funding',
    ]);
    addCardComment(doc, { cardId: card, authorId: other, text: 'later' }, at(5));
    addCardComment(doc, { cardId: card, authorId: other, text: 'sooner' }, at(4));
    expect(
      readCardComments(doc)
        .get(card)
        ?.map((c) => c.text),
    ).toEqual(['sooner', 'later']);
    expect(() => addCardComment(doc, { cardId: card, authorId: other, text: ' ' })).toThrow(
      BoardInputError,
    );
  });
});

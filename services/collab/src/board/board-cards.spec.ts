import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardCardsOf } from './board-cards.service.js';

describe('boardCardsOf', () => {
  it('lists the card maps of the cards root map with their fields, and nothing else', () => {
    const doc = new Y.Doc();
    const cards = doc.getMap<unknown>('cards');
    const card = new Y.Map<unknown>();
    cards.set('a'.repeat(32), card);
    card.set('id', 'a'.repeat(32));
    card.set('area', 'funding');
    card.set('pitchIndex', 0);
    cards.set('stray', 'not a card');
    doc.getMap('comments').set('x', new Y.Map());
    expect(boardCardsOf(doc)).toEqual([
      { key: 'a'.repeat(32), fields: { id: 'a'.repeat(32), area: 'funding', pitchIndex: 0 } },
    ]);
    expect(boardCardsOf(new Y.Doc())).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeMentions, encodeMentions, mentionQueryAt } from './mentions.js';

const ana = { memberId: 'a'.repeat(24), name: 'Ana' };
const anaMaria = { memberId: 'b'.repeat(24), name: 'Ana Maria' };
const odd = { memberId: 'c'.repeat(24), name: 'Jo [the] \\ one' };

describe('mentions', () => {
  it('turns picked @names into mention links, the longest name first, whole names only', () => {
    expect(encodeMentions('hi @Ana Maria and @Ana, not @Anabela', [ana, anaMaria])).toBe(
      `hi [Ana Maria](mention:${'b'.repeat(24)}) and [Ana](mention:${'a'.repeat(24)}), not @Anabela`,
    );
  });

  it('leaves an @name nobody picked as text', () => {
    expect(encodeMentions('ask @Sofia', [ana])).toBe('ask @Sofia');
  });

  it('escapes brackets in a label and reads them back', () => {
    const body = encodeMentions(`cc @${odd.name}!`, [odd]);
    expect(body).toBe(`cc [Jo \\[the\\] \\\\ one](mention:${'c'.repeat(24)})!`);
    expect(decodeMentions(body)).toEqual({ text: `cc @${odd.name}!`, picks: [odd] });
  });

  it('decodes a stored body for editing, each member once', () => {
    const body = encodeMentions('@Ana and @Ana Maria and @Ana', [ana, anaMaria]);
    const { text, picks } = decodeMentions(body);
    expect(text).toBe('@Ana and @Ana Maria and @Ana');
    expect(picks).toHaveLength(2);
    expect(encodeMentions(text, picks)).toBe(body);
  });

  it('finds the @query before the caret', () => {
    expect(mentionQueryAt('hello @An', 9)).toEqual({ start: 6, query: 'An' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('mail me@example', 15)).toBeNull();
    expect(mentionQueryAt('hello', 5)).toBeNull();
  });
});

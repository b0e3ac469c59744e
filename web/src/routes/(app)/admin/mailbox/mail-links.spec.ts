import { describe, expect, it } from 'vitest';
import { mailLinks, mailParts } from './mail-links.js';

describe('dev mailbox links', () => {
  it('makes http(s) addresses links, leaving the punctuation after them as text', () => {
    const text = 'Join here: http://agora.test/register?invite=abc_DEF-1. Or (https://x.test/a).';
    expect(mailParts(text)).toEqual([
      { kind: 'text', text: 'Join here: ' },
      { kind: 'link', href: 'http://agora.test/register?invite=abc_DEF-1' },
      { kind: 'text', text: '. Or (' },
      { kind: 'link', href: 'https://x.test/a' },
      { kind: 'text', text: ').' },
    ]);
    expect(mailLinks(`${text} http://agora.test/register?invite=abc_DEF-1`)).toEqual([
      'http://agora.test/register?invite=abc_DEF-1',
      'https://x.test/a',
    ]);
  });

  it('follows nothing but the web: other schemes stay text', () => {
    expect(mailParts('javascript:alert(1) and mailto:a@b.test')).toEqual([
      { kind: 'text', text: 'javascript:alert(1) and mailto:a@b.test' },
    ]);
    expect(mailLinks('no links here')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { renderPostMarkdown } from './post-markdown.js';

/** Stored-XSS payloads (OWASP cheat sheet classics and markdown-specific ones). */
const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](javascript:alert(1))',
  '![x" onerror="alert(1)](/api/media/' + 'a'.repeat(64) + ')',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<details open ontoggle=alert(1)>',
  '`<script>alert(1)</script>`',
  '<<script>script>alert(1)<</script>/script>',
  '<style>@import "javascript:alert(1)"</style>',
  '[x](vbscript:msgbox(1))',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
];

describe('renderPostMarkdown', () => {
  it('keeps the subset: bold, italics, links, lists, code, headings', () => {
    const html = renderPostMarkdown(
      '# Title\n\n**b** _i_ [l](https://example.org)\n\n- one\n- two\n\n`x`',
    );
    expect(html).toContain('<h4>Title</h4>');
    expect(html).toContain('<strong>b</strong>');
    expect(html).toContain('<em>i</em>');
    expect(html).toContain(
      '<a href="https://example.org" rel="noopener noreferrer nofollow" target="_blank">l</a>',
    );
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<code>x</code>');
  });

  it('shows stored images only', () => {
    const stored = `/api/media/${'b'.repeat(64)}`;
    expect(renderPostMarkdown(`![a cat](${stored})`)).toContain(
      `<img src="${stored}" alt="a cat" loading="lazy" />`,
    );
    expect(renderPostMarkdown('![a cat](https://evil.example/c.png)')).not.toContain('<img');
    expect(renderPostMarkdown('![a cat](/api/media/../../x)')).not.toContain('<img');
    const forum = `/api/forum-images/${'c'.repeat(64)}`;
    expect(renderPostMarkdown(`![a map](${forum})`)).toContain(
      `<img src="${forum}" alt="a map" loading="lazy" />`,
    );
    expect(renderPostMarkdown(`![a map](/api/attachments/${'d'.repeat(24)})`)).not.toContain(
      '<img',
    );
  });

  it.each(payloads)('leaves nothing executable of %s', (payload) => {
    // Escaped text (&lt;script&gt;) is harmless: only the tags really in the output count.
    const tags = renderPostMarkdown(payload).match(/<[a-z][^>]*>/gi) ?? [];
    for (const tag of tags) {
      expect(tag).toMatch(/^<(p|br|strong|em|del|code|pre|blockquote|ul|ol|li|a|h4|img)[\s/>]/);
      // An attribute's quoted value is text (its quotes are escaped): look at the names only.
      expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son[a-z]+\s*=/i);
      expect(tag).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
      if (tag.startsWith('<img')) expect(tag).toMatch(/src="\/api\/media\/[a-f0-9]{64}"/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { isPlainLine, mentionedIds, parseAndSanitize, renderMarkdown } from './markdown.js';

// Stored-XSS payloads (OWASP cheat sheet and friends): none may leave a tag, an attribute or a URL
// scheme that runs script.
const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '![x](javascript:alert(1))',
  '![x](https://example.org/x.png" onerror="alert(1))',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '`<script>alert(1)</script>`',
  '```\n<script>alert(1)</script>\n```',
  '[x](https://example.org/"onmouseover="alert(1))',
  '<<script>script>alert(1)<</script>/script>',
  '<style>*{background:url(javascript:alert(1))}</style>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '[x](&#106;avascript:alert(1))',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<object data="javascript:alert(1)">',
  '<body onload=alert(1)>',
  '"><script>alert(1)</script>',
  '[a](mention:zz" onclick="alert(1))',
];

/** What must never appear in rendered HTML: an element that runs script, a handler, a script URL. */
function unsafe(html: string): string | undefined {
  const tags = [...html.matchAll(/<\s*([a-z0-9-]+)([^>]*)>/gi)];
  const allowed = new Set([
    'p',
    'br',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'span',
  ]);
  for (const [, name = '', attrs = ''] of tags) {
    if (!allowed.has(name.toLowerCase())) return `tag <${name}>`;
    if (/\son[a-z]+\s*=/i.test(attrs)) return `handler in <${name}${attrs}>`;
    const href = /href="([^"]*)"/i.exec(attrs)?.[1];
    if (href !== undefined && !/^(https?:|mailto:)/i.test(href)) return `href ${href}`;
    if (/style\s*=|src\s*=/i.test(attrs)) return `attribute in <${name}${attrs}>`;
  }
  return undefined;
}

describe('markdown: the safe subset, rendered by marked and kept by sanitize-html', () => {
  it('renders bold, italics, strike, links, lists, quotes and code', () => {
    expect(renderMarkdown('**bold** _it_ ~~gone~~')).toBe(
      '<p><strong>bold</strong> <em>it</em> <del>gone</del></p>',
    );
    expect(renderMarkdown('[site](https://medtown.eu/a?b=1)')).toBe(
      '<p><a href="https://medtown.eu/a?b=1" rel="noopener noreferrer nofollow" target="_blank">site</a></p>',
    );
    expect(renderMarkdown('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(renderMarkdown('1. one')).toBe('<ol>\n<li>one</li>\n</ol>');
    expect(renderMarkdown('> said')).toBe('<blockquote>\n<p>said</p>\n</blockquote>');
    expect(renderMarkdown('`a < b`')).toBe('<p><code>a &lt; b</code></p>');
    expect(renderMarkdown('```\nx = 1\n```')).toBe('<pre><code>x = 1\n</code></pre>');
  });

  it('keeps text outside the subset as text: headings become paragraphs, images their alt text', () => {
    expect(renderMarkdown('# Title')).toBe('<p>Title</p>');
    expect(renderMarkdown('![a cat](https://example.org/cat.png)')).toBe('<p>a cat</p>');
  });

  it('shows raw HTML as text instead of passing it through', () => {
    expect(renderMarkdown('<b>hi</b>')).toBe('<p>&lt;b&gt;hi&lt;/b&gt;</p>');
  });

  it('turns a mention link into a span naming the member, and lists the ids mentioned', () => {
    const body =
      'hi [Ana](mention:0123456789abcdef01234567) and [Ana](mention:0123456789abcdef01234567)';
    expect(renderMarkdown(body)).toBe(
      '<p>hi <span class="mention" data-member-id="0123456789abcdef01234567">Ana</span> and <span class="mention" data-member-id="0123456789abcdef01234567">Ana</span></p>',
    );
    expect(mentionedIds(body)).toEqual(['0123456789abcdef01234567']);
  });

  it.each(payloads)('neutralises %s', (payload) => {
    const html = renderMarkdown(payload);
    expect(unsafe(html), html).toBeUndefined();
  });

  it('renders a plain line without the parser exactly as the parser would', () => {
    const lines = [
      'hello',
      'Hello world, how are you?',
      't=1733080000123.45 n=42',
      'ok (see above) - fine; done!',
      'a/b = c',
      'Ça va, très bien',
      'مرحبا بالعالم',
      'Καλημέρα σας',
      'Olá, tudo bem?',
      '日本語のテキスト',
      'x٣ and ½ and 2nd',
      'a  b   c',
    ];
    // And lines drawn at random from the shortcut's alphabet.
    const alphabet = [...'abcXYZéßΩشж日0123456789 .,;!?()=/-'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 400; i += 1) {
      let line = 'abcéΩش'[Math.floor(next() * 6)] ?? 'a';
      const n = Math.floor(next() * 30);
      for (let j = 0; j < n; j += 1) line += alphabet[Math.floor(next() * alphabet.length)];
      lines.push(line);
    }
    let shortcut = 0;
    for (const line of lines) {
      expect(renderMarkdown(line), line).toBe(parseAndSanitize(line));
      if (isPlainLine(line)) shortcut += 1;
    }
    expect(shortcut).toBeGreaterThan(300);
  });

  it('sends everything markdown or HTML could touch through the parser', () => {
    for (const line of [
      '1. one',
      '- item',
      '+ item',
      '> quote',
      'a *b*',
      'a_b_',
      'a ~~b~~',
      'see www.example.org',
      'see https://example.org',
      'mail ana@example.org',
      'a <b>',
      'a & b',
      "it's",
      'say "hi"',
      'trailing ',
      ' leading',
      '    code',
      'two\nlines',
      '# title',
      '---',
      '[x](https://example.org)',
      '`code`',
      'back\\slash',
      '7 days',
    ])
      expect(isPlainLine(line), line).toBe(false);
  });
});

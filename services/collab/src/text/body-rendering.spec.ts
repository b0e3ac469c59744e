import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { bodyMarkdown } from './body-markdown.js';
import { bodyText } from './body-text.js';

type Child = Y.XmlElement | Y.XmlText;
type Run = string | [string, Record<string, unknown>];

/** A Tiptap-shaped element, as y-tiptap writes it. */
function el(name: string, attrs: Record<string, unknown>, children: Child[] = []): Y.XmlElement {
  const e = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v as string);
  e.insert(0, children);
  return e;
}

/** A Y.XmlText of runs, each plain or with its marks as format attributes. */
function text(...runs: Run[]): Y.XmlText {
  const t = new Y.XmlText();
  t.applyDelta(
    runs.map((r) => (typeof r === 'string' ? { insert: r } : { insert: r[0], attributes: r[1] })),
  );
  return t;
}

const p = (...runs: Run[]) => el('paragraph', {}, [text(...runs)]);
const h = (level: number, s: string, attrs: Record<string, unknown> = {}) =>
  el('heading', { level, ...attrs }, [text(s)]);
const li = (...blocks: Child[]) => el('listItem', {}, blocks);

/** Builds the body inside a real Y.Doc (types only read right once integrated). */
function body(...blocks: Y.XmlElement[]): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  fragment.insert(0, blocks);
  return fragment;
}

describe('bodyText / bodyMarkdown (Tiptap-shaped Y.XmlFragment)', () => {
  it('renders headings, paragraphs and marks', () => {
    const b = body(
      h(2, 'Summary', { section: 'summary' }),
      p('We grow ', ['olive', { bold: {} }], ' and ', ['figs', { italic: {}, bold: {} }], '.'),
      p(['old', { strike: {} }], ' ', ['npm i', { code: {} }]),
      h(3, 'Details'),
    );
    expect(bodyText(b)).toBe('Summary\nWe grow olive and figs.\nold npm i\nDetails');
    expect(bodyMarkdown(b)).toBe(
      '## Summary\n\nWe grow **olive** and ***figs***.\n\n~~old~~ `npm i`\n\n### Details\n',
    );
  });

  it('keeps spaces outside emphasis and escapes Markdown in text', () => {
    const b = body(p('a', [' bold ', { bold: {} }], 'b'), p('# not a heading *x* [y]'), p('1. no'));
    expect(bodyMarkdown(b)).toBe('a **bold** b\n\n\\# not a heading \\*x\\* \\[y\\]\n\n1\\. no\n');
  });

  it('renders links, with hashed mark names and runs under one link merged', () => {
    const link = { href: 'https://medtown.eu/calls' };
    const b = body(
      p('See ', ['the ', { link }], ['call', { 'link--Ab12Cd34': link, bold: {} }], ' now'),
      p(['spaced', { link: { href: 'https://x.org/a b' } }]),
    );
    expect(bodyMarkdown(b)).toBe(
      'See [the **call**](https://medtown.eu/calls) now\n\n[spaced](<https://x.org/a b>)\n',
    );
    expect(bodyText(b)).toBe('See the call now\nspaced');
  });

  it('renders bullet, ordered, task and nested lists', () => {
    const b = body(
      el('bulletList', {}, [
        li(p('Spain')),
        li(p('Tunisia'), el('orderedList', { start: 3 }, [li(p('Sfax')), li(p('Sousse'))])),
      ]),
      el('taskList', {}, [
        el('taskItem', { checked: true }, [p('budget')]),
        el('taskItem', { checked: false }, [p('letters')]),
      ]),
    );
    expect(bodyMarkdown(b)).toBe(
      '- Spain\n- Tunisia\n  3. Sfax\n  4. Sousse\n\n- [x] budget\n- [ ] letters\n',
    );
    expect(bodyText(b)).toBe('Spain\nTunisia\nSfax\nSousse\nbudget\nletters');
  });

  it('renders tables as GFM with the first row as header, pipes escaped', () => {
    const cell = (name: string, s: string) => el(name, {}, [p(s)]);
    const b = body(
      el('table', {}, [
        el('tableRow', {}, [cell('tableHeader', 'Item'), cell('tableHeader', 'Cost')]),
        el('tableRow', {}, [cell('tableCell', 'Venue | hall'), cell('tableCell', '1200')]),
        el('tableRow', {}, [cell('tableCell', 'Travel')]),
      ]),
    );
    expect(bodyMarkdown(b)).toBe(
      '| Item | Cost |\n| --- | --- |\n| Venue \\| hall | 1200 |\n| Travel |  |\n',
    );
    expect(bodyText(b)).toBe('Item\tCost\nVenue | hall\t1200\nTravel');
  });

  it('renders quotes, code blocks, rules, images and hard breaks', () => {
    const b = body(
      el('blockquote', {}, [p('first'), p('second')]),
      el('codeBlock', { language: 'ts' }, [text('const a = "```";')]),
      el('horizontalRule', {}),
      el('paragraph', {}, [text('line one'), el('hardBreak', {}), text('line two')]),
      el('image', { src: 'https://x.org/p.png', alt: 'photo' }),
    );
    expect(bodyMarkdown(b)).toBe(
      '> first\n>\n> second\n\n````ts\nconst a = "```";\n````\n\n---\n\nline one\\\nline two\n\n![photo](https://x.org/p.png)\n',
    );
    expect(bodyText(b)).toBe('first\nsecond\nconst a = "```";\nline one\nline two\nphoto');
  });

  it('gives empty text for an empty body and keeps text of unknown nodes', () => {
    expect(bodyText(body())).toBe('');
    expect(bodyMarkdown(body())).toBe('');
    const b = body(el('callout', {}, [p('inside')]), el('mystery', {}, [text('raw')]));
    expect(bodyText(b)).toBe('inside\nraw');
    expect(bodyMarkdown(b)).toBe('inside\n\nraw\n');
  });

  it('reads Arabic text unchanged', () => {
    const b = body(h(2, 'ملخص', { section: 'summary' }), p('مشروع ', ['تجريبي', { bold: {} }]));
    expect(bodyMarkdown(b)).toBe('## ملخص\n\nمشروع **تجريبي**\n');
  });
});

import * as Y from 'yjs';
import { isTextBlock } from './body-text.js';
import { inlineContent, stringAttr, type InlinePiece, type Marks } from './inline-content.js';

type Node = Y.XmlElement | Y.XmlText | Y.XmlHook;

/**
 * Markdown (CommonMark with GFM tables, strikethrough and task lists) of a rich-text body in
 * Tiptap's schema: headings, paragraphs, marks (bold, italic, strike, code, links), bullet,
 * ordered and task lists (nested), quotes, code blocks, rules, images, hard breaks and tables.
 * Unknown nodes keep their text.
 */
export function bodyMarkdown(body: Y.XmlFragment): string {
  const out = blocksMarkdown(body.toArray(), '\n\n');
  return out === '' ? '' : `${out}\n`;
}

function blocksMarkdown(blocks: readonly Node[], separator: string): string {
  return (
    blocks
      .map(blockMarkdown)
      // An empty paragraph has no Markdown of its own (blank lines already part blocks).
      .filter((b) => b !== null && b !== '')
      .join(separator)
  );
}

function blockMarkdown(node: Node): string | null {
  if (node instanceof Y.XmlText) return paragraphStart(inlineMarkdown(inlineContent([node])));
  if (!(node instanceof Y.XmlElement)) return null;
  const children = node.toArray();
  switch (node.nodeName) {
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.getAttribute('level')) || 1));
      return `${'#'.repeat(level)} ${inlineMarkdown(inlineContent(children))}`.trimEnd();
    }
    case 'paragraph':
      return paragraphStart(inlineMarkdown(inlineContent(children)));
    case 'codeBlock': {
      const code = inlineContent(children)
        .map((p) => (p.kind === 'text' ? p.text : p.kind === 'break' ? '\n' : ''))
        .join('');
      const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
      return `${fence}${stringAttr(node, 'language')}\n${code}\n${fence}`;
    }
    case 'horizontalRule':
      return '---';
    case 'image':
      return image(stringAttr(node, 'src'), stringAttr(node, 'alt'));
    case 'blockquote':
      return prefixLines(blocksMarkdown(children, '\n\n'), '> ', '>');
    case 'bulletList':
      return listMarkdown(children, () => '- ');
    case 'orderedList': {
      const start = Number(node.getAttribute('start'));
      const first = Number.isInteger(start) && start >= 0 ? start : 1;
      return listMarkdown(children, (i) => `${first + i}. `);
    }
    case 'taskList':
      return listMarkdown(children, (_i, item) => (checked(item) ? '- [x] ' : '- [ ] '));
    case 'table':
      return tableMarkdown(children);
    default:
      if (isTextBlock(node)) return paragraphStart(inlineMarkdown(inlineContent(children)));
      return blocksMarkdown(children, '\n\n');
  }
}

/** y-tiptap keeps attributes as ProseMirror has them (a boolean); an imported doc may hold a string. */
function checked(item: Y.XmlElement): boolean {
  const value: unknown = item.getAttribute('checked');
  return value === true || value === 'true';
}

/** Items one per line (a tight list); an item's further lines are indented under its marker. */
function listMarkdown(
  items: readonly Node[],
  marker: (index: number, item: Y.XmlElement) => string,
): string {
  const lines: string[] = [];
  let index = 0;
  for (const item of items) {
    if (!(item instanceof Y.XmlElement)) continue;
    const m = marker(index, item);
    index += 1;
    const body = blocksMarkdown(item.toArray(), '\n');
    const [first = '', ...rest] = body.split('\n');
    lines.push(`${m}${first}`.trimEnd());
    const indent = ' '.repeat(m.length);
    for (const line of rest) lines.push(line === '' ? '' : `${indent}${line}`);
  }
  return lines.join('\n');
}

/** A GFM table: the first row is the header (GFM requires one); cells hold inline text only. */
function tableMarkdown(rows: readonly Node[]): string | null {
  const cells = rows
    .filter((r): r is Y.XmlElement => r instanceof Y.XmlElement)
    .map((row) =>
      row
        .toArray()
        .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
        .map(cellMarkdown),
    );
  const width = Math.max(0, ...cells.map((r) => r.length));
  if (width === 0) return null;
  const line = (r: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  const [head = [], ...body] = cells;
  return [line(head), line(Array.from({ length: width }, () => '---')), ...body.map(line)].join(
    '\n',
  );
}

function cellMarkdown(cell: Y.XmlElement): string {
  return cell
    .toArray()
    .map((block) =>
      block instanceof Y.XmlElement && !isTextBlock(block)
        ? (blockMarkdown(block) ?? '')
        : inlineMarkdown(
            inlineContent(block instanceof Y.XmlElement ? block.toArray() : [block]),
            '<br>',
          ),
    )
    .filter((t) => t !== '')
    .join('<br>')
    .replace(/\n/g, '<br>')
    .replace(/\|/g, '\\|');
}

/**
 * Inline Markdown: consecutive runs under one link become one `[…](href)`; each run's other marks
 * wrap it alone, with surrounding spaces kept outside the delimiters (`** a**` is no emphasis).
 */
export function inlineMarkdown(pieces: readonly InlinePiece[], hardBreak = '\\\n'): string {
  let out = '';
  let i = 0;
  while (i < pieces.length) {
    const piece = pieces[i];
    const href = piece?.kind === 'text' ? linkOf(piece.marks) : null;
    if (piece && href !== null) {
      let inner = '';
      while (i < pieces.length) {
        const p = pieces[i];
        if (p?.kind !== 'text' || linkOf(p.marks) !== href) break;
        inner += textRun(p.text, p.marks);
        i += 1;
      }
      out += `[${inner}](${destination(href)})`;
      continue;
    }
    if (piece?.kind === 'text') out += textRun(piece.text, piece.marks);
    else if (piece?.kind === 'break') out += hardBreak;
    else if (piece?.kind === 'image') out += image(piece.src, piece.alt);
    i += 1;
  }
  return out;
}

function linkOf(marks: Marks): string | null {
  const href = marks.link?.href;
  return typeof href === 'string' && href !== '' ? href : null;
}

function textRun(text: string, marks: Marks): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
  const [, lead = '', core = '', trail = ''] = match ?? [];
  if (core === '') return text;
  if (marks.code) {
    const ticks = '`'.repeat(longestRun(core, '`') + 1);
    const pad = core.startsWith('`') || core.endsWith('`') ? ' ' : '';
    return `${lead}${ticks}${pad}${core}${pad}${ticks}${trail}`;
  }
  let body = escapeText(core);
  if (marks.strike) body = `~~${body}~~`;
  if (marks.italic) body = `*${body}*`;
  if (marks.bold) body = `**${body}**`;
  return `${lead}${body}${trail}`;
}

function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>~]/g, '\\$&');
}

/**
 * A line of a paragraph that would read as another block (`# x`, `- x`, `1. x`, `> x`, `---`) gets
 * its marker escaped.
 */
function paragraphStart(text: string): string {
  return text.replace(
    /^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|-{2,}(?=\s*$)|={2,}(?=\s*$)|\d{1,9}(?=[.)](?:\s|$)))/gm,
    (_, space: string, mark: string) =>
      /^\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
  );
}

function destination(href: string): string {
  return /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href;
}

function image(src: string, alt: string): string {
  return src ? `![${escapeText(alt)}](${destination(src)})` : escapeText(alt);
}

function prefixLines(text: string, prefix: string, emptyPrefix: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? emptyPrefix : `${prefix}${l}`))
    .join('\n');
}

function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

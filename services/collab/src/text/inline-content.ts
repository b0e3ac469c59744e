import * as Y from 'yjs';

/** One piece of a text block's inline content, as Tiptap (y-tiptap) stores it. */
export type InlinePiece =
  | { kind: 'text'; text: string; marks: Marks }
  | { kind: 'break' }
  | { kind: 'image'; src: string; alt: string };

/** Mark name → its attributes (`{}` for bold, `{ href }` for a link). */
export type Marks = Record<string, Record<string, unknown>>;

// y-tiptap keeps overlapping marks of one type apart with a hash suffix: `link--Ab12Cd34`.
const hashedMark = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

export function markName(attribute: string): string {
  return hashedMark.exec(attribute)?.[1] ?? attribute;
}

function marksOf(attributes: Record<string, unknown> | undefined): Marks {
  const marks: Marks = {};
  if (!attributes) return marks;
  for (const [key, value] of Object.entries(attributes)) {
    // A removed mark can linger as a null attribute in the delta.
    if (value === null || value === undefined || value === false) continue;
    marks[markName(key)] = typeof value === 'object' ? (value as Record<string, unknown>) : {};
  }
  return marks;
}

/** The string attribute `name` of an element, or '' when it is missing or not a string. */
export function stringAttr(el: Y.XmlElement, name: string): string {
  const value: unknown = el.getAttribute(name);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/**
 * The inline content of a text block's children (paragraph, heading, code block, …): its `Y.XmlText` runs
 * with their marks, and the inline nodes between them (hard breaks, images; anything else counts
 * by its text).
 */
export function inlineContent(
  children: readonly (Y.XmlElement | Y.XmlText | Y.XmlHook)[],
): InlinePiece[] {
  const pieces: InlinePiece[] = [];
  for (const child of children) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as {
        insert: unknown;
        attributes?: Record<string, unknown>;
      }[]) {
        if (typeof op.insert === 'string') {
          pieces.push({ kind: 'text', text: op.insert, marks: marksOf(op.attributes) });
        }
      }
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') pieces.push({ kind: 'break' });
      else if (child.nodeName === 'image') {
        pieces.push({
          kind: 'image',
          src: stringAttr(child, 'src'),
          alt: stringAttr(child, 'alt'),
        });
      } else {
        // A mention or another inline node: its own text, or its label.
        const label = stringAttr(child, 'label');
        if (label) pieces.push({ kind: 'text', text: label, marks: {} });
        else pieces.push(...inlineContent(child.toArray()));
      }
    }
  }
  return pieces;
}

/** Plain text of inline content (a hard break is a newline, an image its alt text). */
export function inlineText(pieces: readonly InlinePiece[]): string {
  let out = '';
  for (const p of pieces) out += p.kind === 'text' ? p.text : p.kind === 'break' ? '\n' : p.alt;
  return out;
}

import * as Y from 'yjs';
import { inlineContent, inlineText, stringAttr } from './inline-content.js';

/** Nodes of Tiptap's schema that hold inline content; every other element holds blocks. */
const textBlocks = new Set(['paragraph', 'heading', 'codeBlock']);

/** Whether an element holds inline content (a known text block, or any element holding text). */
export function isTextBlock(el: Y.XmlElement): boolean {
  if (textBlocks.has(el.nodeName)) return true;
  return el.toArray().some((c) => c instanceof Y.XmlText);
}

/**
 * Visible text of a list of blocks: one line per text block (a table row is its cells joined by a
 * tab), nothing for rules. What diffs and the outline read.
 */
export function blocksText(blocks: readonly (Y.XmlElement | Y.XmlText | Y.XmlHook)[]): string {
  const lines: string[] = [];
  for (const block of blocks) collectLines(block, lines);
  return lines.join('\n');
}

/** Plain text of a rich-text body (`XmlFragment('default')`). */
export function bodyText(body: Y.XmlFragment): string {
  return blocksText(body.toArray());
}

function collectLines(node: Y.XmlElement | Y.XmlText | Y.XmlHook, lines: string[]): void {
  if (node instanceof Y.XmlText) {
    lines.push(inlineText(inlineContent([node])));
    return;
  }
  if (!(node instanceof Y.XmlElement)) return;
  if (node.nodeName === 'horizontalRule') return;
  if (node.nodeName === 'image') {
    const alt = stringAttr(node, 'alt');
    if (alt) lines.push(alt);
    return;
  }
  if (node.nodeName === 'tableRow') {
    lines.push(
      node
        .toArray()
        .map((cell) => (cell instanceof Y.XmlElement ? blocksText(cell.toArray()) : ''))
        .map((t) => t.replace(/\n/g, ' '))
        .join('\t'),
    );
    return;
  }
  if (isTextBlock(node)) {
    lines.push(inlineText(inlineContent(node.toArray())));
    return;
  }
  for (const child of node.toArray()) collectLines(child, lines);
}

import * as Y from 'yjs';
import { docShape, sectionKeyPattern, type DocOutline } from '@agora/proto';
import { blocksText } from '../text/body-text.js';
import { inlineContent, inlineText } from '../text/inline-content.js';

type Block = Y.XmlElement | Y.XmlText | Y.XmlHook;

/** The section a level-2 heading opens, or null for any other block. */
export function sectionKeyOf(block: Block): string | null {
  if (!(block instanceof Y.XmlElement) || block.nodeName !== 'heading') return null;
  if (Number(block.getAttribute('level')) !== docShape.sectionHeadingLevel) return null;
  const key: unknown = block.getAttribute(docShape.sectionAttribute);
  return typeof key === 'string' && sectionKeyPattern.test(key) ? key : null;
}

/**
 * Sections and budget lines of a document, read from its state (never from a browser's word): a
 * section runs from its heading to the next section heading (text before the first one belongs to
 * none); its text is what a reader sees below the heading, sub-headings included.
 */
export function outlineOf(doc: Y.Doc): Pick<DocOutline, 'sections' | 'budget'> {
  const sections: DocOutline['sections'] = [];
  let current: { key: string; heading: string; blocks: Block[] } | null = null;
  const close = () => {
    if (current) {
      sections.push({
        key: current.key,
        heading: current.heading,
        text: blocksText(current.blocks),
      });
    }
  };
  for (const block of doc.getXmlFragment(docShape.body).toArray()) {
    const key = sectionKeyOf(block);
    if (key !== null) {
      close();
      const heading = inlineText(inlineContent((block as Y.XmlElement).toArray()));
      current = { key, heading, blocks: [] };
    } else current?.blocks.push(block);
  }
  close();
  const budget = doc
    .getArray<unknown>(docShape.budget)
    .toArray()
    .map((item) => budgetLine(item instanceof Y.Map ? (item.toJSON() as unknown) : item));
  return { sections, budget };
}

/** A line as the outline shows it: fields of the wrong type read as empty, and `valid: false`. */
function budgetLine(value: unknown): DocOutline['budget'][number] {
  const fields =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const { category, description, quantity, unitCost } = fields;
  const valid =
    typeof category === 'string' &&
    typeof description === 'string' &&
    typeof quantity === 'number' &&
    Number.isFinite(quantity) &&
    typeof unitCost === 'number' &&
    Number.isSafeInteger(unitCost);
  const finite = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
  return {
    category: typeof category === 'string' ? category : '',
    description: typeof description === 'string' ? description : '',
    quantity: finite(quantity),
    unitCost: finite(unitCost),
    valid,
  };
}

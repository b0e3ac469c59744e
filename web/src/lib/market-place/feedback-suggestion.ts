import * as Y from 'yjs';
import { docShape } from '@agora/proto';
import type { CommentAuthor } from '$lib/collab/comments.js';
import { createSuggestion, suggestionsMap } from '$lib/collab/suggestions.js';

/**
 * Turning an expert's card about a section into a suggested change in the proposal doc: the
 * suggestion replaces the section's first paragraph (the text the card is about), anchored with
 * Yjs relative positions exactly as the editor anchors a selection, so the editor shows it, keeps
 * it on its words through everyone's edits, and applies it when the team accepts it.
 */

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function plainText(text: Y.XmlText): string {
  return (text.toDelta() as { insert?: unknown }[])
    .map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('');
}

/** The first paragraph's text after the section's heading, or null (no such section, or empty). */
export function sectionParagraph(
  doc: Y.Doc,
  sectionKey: string,
): { text: Y.XmlText; original: string } | null {
  const body = doc.getXmlFragment(docShape.body);
  const children = body.toArray();
  const heading = children.findIndex(
    (node) =>
      node instanceof Y.XmlElement &&
      node.nodeName === 'heading' &&
      node.getAttribute(docShape.sectionAttribute) === sectionKey,
  );
  if (heading < 0) return null;
  const paragraph = children[heading + 1];
  if (!(paragraph instanceof Y.XmlElement) || paragraph.nodeName !== 'paragraph') return null;
  const text = paragraph.toArray().find((node): node is Y.XmlText => node instanceof Y.XmlText);
  if (!text) return null;
  const original = plainText(text);
  return original.length > 0 ? { text, original } : null;
}

/** Where a card came from, kept on the suggestion it became (the editor ignores these fields). */
export interface CardOrigin {
  cardId: string;
  sessionId: string;
  authorId: string;
  area: string;
}

/**
 * Writes the suggestion (its author is the team member who made it, its origin the card) and
 * answers its id; null when the section has no text to replace.
 */
export function suggestFromCard(
  doc: Y.Doc,
  input: { sectionKey: string; replacement: string; author: CommentAuthor; origin: CardOrigin },
  now: Date = new Date(),
): string | null {
  const target = sectionParagraph(doc, input.sectionKey);
  if (!target) return null;
  const { text, original } = target;
  // The same encoding and association (-1) as y-tiptap's positions from a selection.
  const anchor = toBase64(
    Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, 0, -1)),
  );
  const head = toBase64(
    Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, original.length, -1)),
  );
  let id: string | null = null;
  doc.transact(() => {
    id = createSuggestion(
      doc,
      { range: { anchor, head }, original, replacement: input.replacement, author: input.author },
      now,
    );
    const map = suggestionsMap(doc).get(id);
    map?.set('originCardId', input.origin.cardId);
    map?.set('originSessionId', input.origin.sessionId);
    map?.set('originAuthorId', input.origin.authorId);
    map?.set('originArea', input.origin.area);
  });
  return id;
}

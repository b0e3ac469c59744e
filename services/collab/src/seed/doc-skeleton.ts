import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { docShape } from '@agora/proto';

export interface SectionSeed {
  key: string;
  heading: string;
}

/**
 * The Yjs client id the skeleton of `docName` is written under: derived from the name, so the
 * skeleton of one doc is byte for byte the same update every time it is built, and applying it
 * twice (a retry after a crash between applying and recording it) changes nothing.
 */
export function skeletonClientId(docName: string): number {
  return createHash('sha256').update(`agora-skeleton:${docName}`).digest().readUInt32BE(0);
}

/**
 * The skeleton of a new document as one update: per section a level-2 heading whose `section`
 * attribute is its key, holding the heading text, then an empty paragraph (Tiptap's shape, see
 * `docShape`); the budget array stays empty.
 */
export function skeletonUpdate(docName: string, sections: readonly SectionSeed[]): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = skeletonClientId(docName);
  const blocks: Y.XmlElement[] = [];
  for (const section of sections) {
    const heading = new Y.XmlElement('heading');
    // y-tiptap keeps ProseMirror's attribute values as they are: the level is a number.
    heading.setAttribute('level', docShape.sectionHeadingLevel as unknown as string);
    heading.setAttribute(docShape.sectionAttribute, section.key);
    const text = new Y.XmlText();
    text.insert(0, section.heading);
    heading.insert(0, [text]);
    blocks.push(heading, new Y.XmlElement('paragraph'));
  }
  doc.getXmlFragment(docShape.body).insert(0, blocks);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Clients that wrote to a doc (its state vector's keys). */
export function writersOf(doc: Y.Doc): number[] {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).keys()];
}

import { Inject, Injectable } from '@nestjs/common';
import * as Y from 'yjs';
import type { DocOutline } from '@agora/proto';
import { DocStore } from '../documents/doc-store.js';
import { outlineOf } from './doc-outline.js';

/** A document's sections and budget as its durable state holds them (for spaces' rules). */
@Injectable()
export class OutlineService {
  constructor(@Inject(DocStore) private readonly docs: DocStore) {}

  async outline(docName: string): Promise<DocOutline> {
    const { doc, seq } = await this.docs.loadDurable(docName);
    const size = Y.encodeStateAsUpdate(doc).byteLength;
    const outline = { docName, ...outlineOf(doc), size, seq };
    doc.destroy();
    return outline;
  }
}

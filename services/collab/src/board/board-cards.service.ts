import { Inject, Injectable } from '@nestjs/common';
import * as Y from 'yjs';
import { boardShape, type RpcResponse, type collabRpc } from '@agora/proto';
import { DocStore } from '../documents/doc-store.js';

/** Every entry of the board's `cards` map that is a map itself, as plain fields. */
export function boardCardsOf(doc: Y.Doc): { key: string; fields: Record<string, unknown> }[] {
  const out: { key: string; fields: Record<string, unknown> }[] = [];
  doc.getMap<unknown>(boardShape.cards).forEach((value, key) => {
    // anything else under the map is not a card (spaces validates the fields of those that are)
    if (value instanceof Y.Map) out.push({ key, fields: value.toJSON() });
  });
  return out;
}

/** A board's cards as its durable state holds them (for spaces, which judges them). */
@Injectable()
export class BoardCardsService {
  constructor(@Inject(DocStore) private readonly docs: DocStore) {}

  async cards(docName: string): Promise<RpcResponse<typeof collabRpc.boardCards>> {
    const { doc, seq } = await this.docs.loadDurable(docName);
    try {
      return { docName, cards: boardCardsOf(doc), seq };
    } finally {
      doc.destroy();
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import * as Y from 'yjs';
import { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { UpdateLog } from '../update-log/update-log.repository.js';
import { DocRegistry } from './doc-registry.js';
import type { DocPeer } from './doc-peer.js';
import { loadDurableInto } from './durable-load.js';

/** The server as the author of a change (seed, restore): it has no socket to answer. */
function serverPeer(memberId: string | null): DocPeer {
  return { memberId, send: () => undefined, saved: () => undefined, refuse: () => undefined };
}

/** A document's durable state, and changes the server makes to it. */
@Injectable()
export class DocStore {
  constructor(
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(UpdateLog) private readonly log: UpdateLog,
    @Inject(DocRegistry) private readonly docs: DocRegistry,
  ) {}

  /** The durable state, fresh: latest snapshot + log tail after it (never the live copy). */
  async loadDurable(docName: string): Promise<{ doc: Y.Doc; seq: number }> {
    const doc = new Y.Doc({ gc: true });
    const { seq } = await loadDurableInto(doc, docName, this.snapshots, this.log);
    return { doc, seq };
  }

  /**
   * A change made by the server (seed, restore): appended to the log, relayed to every replica and
   * applied to the live copy if one is open here, exactly as a client's update (the doc is opened
   * for it when it is not, and unloads again when idle). Resolves with its seq.
   */
  async applyServerChange(
    docName: string,
    update: Uint8Array,
    memberId: string | null,
  ): Promise<number> {
    const live = await this.docs.acquire(docName);
    try {
      return await live.acceptServerChange(update, serverPeer(memberId));
    } finally {
      this.docs.release(docName);
    }
  }
}

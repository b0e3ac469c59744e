import { Inject, Injectable } from '@nestjs/common';
import * as Y from 'yjs';
import { Clock, pendingEvent, RpcCallError, RpcFailure } from '@agora/platform';
import {
  collabEvents,
  docShape,
  type DocRight,
  type DocVersion,
  type RpcResponse,
  type collabRpc,
} from '@agora/proto';
import { DocAccess } from '../access/doc-access.service.js';
import { DocStore } from '../documents/doc-store.js';
import { bodyMarkdown } from '../text/body-markdown.js';
import { bodyText } from '../text/body-text.js';
import { diffText } from '../text/text-diff.js';
import { restoreUpdates, RestoreTooLarge } from './restore-updates.js';
import { VersionRepository } from './version.repository.js';

type VersionReason = DocVersion['reason'];

/** Longest version name (the contract's). */
const NAME_MAX = 120;
/**
 * Largest update a restore sends through the live path: one such update is appended as its own
 * batch (the live path never merges past `COLLAB_BATCH_MAX_BYTES`, at most 900 KiB), so it stays
 * under the log's 1 MiB message.
 */
export const RESTORE_UPDATE_MAX_BYTES = 768 * 1024;
/**
 * Largest reply an RPC may carry: nats-server's default `max_payload` is 1 MiB (its envelope and
 * headers take the rest). A version or diff past it is refused clearly instead of never arriving.
 */
export const RPC_REPLY_MAX_BYTES = 960 * 1024;

/**
 * Named versions of a document, outside the live doc: saved from its durable state (snapshot +
 * log), read as Yjs state, text and Markdown, compared as a word diff, and restored as a new change
 * on top of history. Members need `read` on the doc to list, open and compare, `write` to save and
 * restore; spaces says which (a member with neither learns nothing, not even that the doc exists).
 */
@Injectable()
export class VersionService {
  constructor(
    @Inject(VersionRepository) private readonly versions: VersionRepository,
    @Inject(DocStore) private readonly docs: DocStore,
    @Inject(DocAccess) private readonly access: DocAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async list(docName: string, memberId: string): Promise<DocVersion[]> {
    await this.require(memberId, docName, 'read');
    return this.versions.list(docName);
  }

  async save(docName: string, name: string, memberId: string): Promise<DocVersion> {
    await this.require(memberId, docName, 'write');
    return this.saveCurrent(docName, name, 'manual', memberId);
  }

  /**
   * A version saved on a service's behalf (spaces, on a submission): no rights asked. Retried
   * after a lost reply, it answers the version the first call saved (same name, reason and saver,
   * and the doc unchanged since) rather than a second one.
   */
  async freeze(
    docName: string,
    name: string,
    reason: VersionReason,
    savedBy: string,
  ): Promise<DocVersion> {
    const [latest] = await this.versions.list(docName, 1);
    if (latest && latest.name === name && latest.reason === reason && latest.savedBy === savedBy) {
      const { doc, seq } = await this.docs.loadDurable(docName);
      doc.destroy();
      if (seq === latest.seq) return latest;
    }
    return this.saveCurrent(docName, name, reason, savedBy);
  }

  async get(
    docName: string,
    versionId: string,
    memberId: string,
  ): Promise<RpcResponse<typeof collabRpc.versionGet>> {
    await this.require(memberId, docName, 'read');
    const { version, state } = await this.load(docName, versionId);
    const doc = docOf(state);
    const body = doc.getXmlFragment(docShape.body);
    const content = {
      version,
      update: Buffer.from(state).toString('base64'),
      text: bodyText(body),
      markdown: bodyMarkdown(body),
    };
    doc.destroy();
    return fitsOneReply(content, 'this version');
  }

  async diff(
    docName: string,
    versionId: string,
    to: string,
    memberId: string,
  ): Promise<RpcResponse<typeof collabRpc.versionDiff>> {
    await this.require(memberId, docName, 'read');
    const from = await this.load(docName, versionId);
    let toVersion: DocVersion | null = null;
    let toDoc: Y.Doc;
    if (to === 'current') toDoc = (await this.docs.loadDurable(docName)).doc;
    else {
      const other = await this.load(docName, to);
      toVersion = other.version;
      toDoc = docOf(other.state);
    }
    const fromDoc = docOf(from.state);
    const parts = diffText(
      bodyText(fromDoc.getXmlFragment(docShape.body)),
      bodyText(toDoc.getXmlFragment(docShape.body)),
    );
    fromDoc.destroy();
    toDoc.destroy();
    return fitsOneReply({ from: from.version, to: toVersion, parts }, 'this diff');
  }

  /**
   * Makes the live doc hold the version's body and budget again, as new changes through the live
   * path (every replica and editor sees them as any edit; nothing is rewritten), then saves the
   * result as a version with reason `restored`.
   */
  async restore(docName: string, versionId: string, memberId: string): Promise<DocVersion> {
    await this.require(memberId, docName, 'write');
    const { version, state } = await this.load(docName, versionId);
    const target = docOf(state);
    const { doc: current } = await this.docs.loadDurable(docName);
    let updates: Uint8Array[];
    try {
      updates = restoreUpdates(current, target, RESTORE_UPDATE_MAX_BYTES);
    } catch (err) {
      if (err instanceof RestoreTooLarge) {
        throw new RpcFailure(
          'PAYLOAD_TOO_LARGE',
          'a block of this version is too large to restore',
        );
      }
      throw err;
    } finally {
      current.destroy();
      target.destroy();
    }
    for (const update of updates) await this.docs.applyServerChange(docName, update, memberId);
    return this.saveCurrent(docName, restoredName(version.name), 'restored', memberId);
  }

  private async saveCurrent(
    docName: string,
    name: string,
    reason: VersionReason,
    savedBy: string | null,
  ): Promise<DocVersion> {
    const { doc, seq } = await this.docs.loadDurable(docName);
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    const version: DocVersion = {
      id: this.versions.newId(),
      docName,
      name,
      reason,
      savedBy,
      savedAt: this.clock.now().toISOString(),
      seq,
      size: state.byteLength,
    };
    const event = pendingEvent(collabEvents.versionSaved, savedBy, docName, {
      docName,
      versionId: version.id,
      reason,
      savedBy,
    });
    await this.versions.save(version, state, [event]);
    return version;
  }

  private async load(
    docName: string,
    versionId: string,
  ): Promise<{ version: DocVersion; state: Uint8Array }> {
    const found = await this.versions.load(docName, versionId);
    if (!found) throw new RpcFailure('NOT_FOUND', 'no such version of this document');
    return found;
  }

  private async require(
    memberId: string,
    docName: string,
    needed: 'read' | 'write',
  ): Promise<void> {
    let right: DocRight;
    try {
      right = await this.access.rightOf(memberId, docName);
    } catch (err) {
      if (err instanceof RpcCallError) {
        throw new RpcFailure('UNAVAILABLE', 'rights on this document cannot be checked now');
      }
      throw err;
    }
    if (right === 'none') throw new RpcFailure('FORBIDDEN', 'no access to this document');
    if (needed === 'write' && right !== 'write') {
      throw new RpcFailure('FORBIDDEN', 'this document is read-only for you');
    }
  }
}

/** `value` as it is, if its JSON fits one bus reply; PAYLOAD_TOO_LARGE otherwise. */
function fitsOneReply<T>(value: T, what: string): T {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > RPC_REPLY_MAX_BYTES) {
    throw new RpcFailure('PAYLOAD_TOO_LARGE', `${what} is too large to send (${bytes} bytes)`, {
      bytes,
      limit: RPC_REPLY_MAX_BYTES,
    });
  }
  return value;
}

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

function restoredName(name: string): string {
  const full = `Restored: ${name}`;
  return full.length <= NAME_MAX ? full : `${full.slice(0, NAME_MAX - 1)}…`;
}

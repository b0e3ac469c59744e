import * as Y from 'yjs';
import { parseDocName, type DocVersion } from '@agora/proto';

/** What the history page's load depends on: saving or restoring a version reruns it. */
export function versionsDependency(docName: string): `agora:doc-versions:${string}` {
  return `agora:doc-versions:${docName}`;
}

/** The standard base64 of a version's Yjs state → bytes (null when it is not base64). */
export function base64ToBytes(text: string): Uint8Array | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/** A standalone Y.Doc holding a saved version, to show it read-only (null when unreadable). */
export function versionDoc(update: string): Y.Doc | null {
  const bytes = base64ToBytes(update);
  if (!bytes) return null;
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, bytes);
  } catch {
    doc.destroy();
    return null;
  }
  return doc;
}

/** The page a doc lives on (the history page links back to it), or null when it has none yet. */
export function docHomePath(docName: string): `/proposals/${string}` | null {
  const { kind, id } = parseDocName(docName);
  return kind === 'proposal' ? `/proposals/${id}` : null;
}

/** Newest first, as the list shows them (the API says so too; the page does not rely on it). */
export function newestFirst(versions: readonly DocVersion[]): DocVersion[] {
  return [...versions].sort((a, b) => b.savedAt.localeCompare(a.savedAt) || b.seq - a.seq);
}

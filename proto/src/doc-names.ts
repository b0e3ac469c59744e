import { z } from 'zod';

/** Kinds of co-edited document (DOMAIN.md "Names that stay fixed"). */
export const docKinds = ['proposal', 'board', 'notes'] as const;
export type DocKind = (typeof docKinds)[number];

/** `<kind>:<id>`: what a y-websocket client names its document, e.g. `proposal:65f0…`. */
export type DocName = `${DocKind}:${string}`;

export interface DocRef {
  kind: DocKind;
  /** The space's id: a lowercase 24-hex ObjectId. */
  id: string;
}

const docId = /^[a-f0-9]{24}$/;
const docNamePattern = new RegExp(`^(${docKinds.join('|')}):([a-f0-9]{24})$`);

export const docNameSchema = z
  .string()
  .regex(docNamePattern, `a doc name "<${docKinds.join('|')}>:<24 lowercase hex>"`);

/** Subjects of the collab update stream: one per document, `agora.collab.doc.<kind>.<id>`. */
export const docSubjectPrefix = 'agora.collab.doc';
export const allDocSubjects = `${docSubjectPrefix}.>`;

function isDocKind(kind: string): kind is DocKind {
  return (docKinds as readonly string[]).includes(kind);
}

/** Builds `<kind>:<id>`; an unknown kind or an id that is not 24 lowercase hex throws. */
export function docName(kind: DocKind, id: string): DocName {
  if (!isDocKind(kind)) throw new Error(`invalid doc kind "${String(kind)}"`);
  if (!docId.test(id)) throw new Error(`invalid doc id "${id}": 24 lowercase hex expected`);
  return `${kind}:${id}`;
}

/** Splits a doc name into kind and id; anything but `<kind>:<24 lowercase hex>` throws. */
export function parseDocName(name: string): DocRef {
  const match = docNamePattern.exec(name);
  const kind = match?.[1];
  const id = match?.[2];
  if (kind === undefined || id === undefined || !isDocKind(kind)) {
    throw new Error(`invalid doc name "${name}"`);
  }
  return { kind, id };
}

/**
 * The per-document subject `agora.collab.doc.<kind>.<id>` of a doc name; the only way one is made.
 * Both tokens are checked, so a name can never smuggle a wildcard or an extra token into the subject.
 */
export function docSubject(name: string): string {
  const { kind, id } = parseDocName(name);
  return `${docSubjectPrefix}.${kind}.${id}`;
}

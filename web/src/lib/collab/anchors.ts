import * as Y from 'yjs';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
} from '@tiptap/y-tiptap';

/** y-tiptap's map from Yjs types to the ProseMirror nodes shown (its type is not exported). */
export type ProsemirrorMapping = Parameters<typeof absolutePositionToRelativePosition>[2];

/**
 * Anchors a range of the rich-text body to the text itself, not to offsets: Yjs relative
 * positions follow the characters through everyone's edits, so a comment stays on its words
 * however much is typed before it. What y-tiptap's sync binding knows is all this needs.
 */
export interface BodyBinding {
  doc: Y.Doc;
  /** The body, `XmlFragment('default')`. */
  type: Y.XmlFragment;
  /** y-tiptap's map from Yjs types to the ProseMirror nodes currently shown. */
  mapping: ProsemirrorMapping;
}

export interface EncodedRange {
  /** Start, as a base64 Yjs relative position. */
  anchor: string;
  /** End, as a base64 Yjs relative position. */
  head: string;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

export function encodePosition(binding: BodyBinding, pos: number): string {
  const relative = absolutePositionToRelativePosition(
    pos,
    binding.type,
    binding.mapping,
  ) as Y.RelativePosition;
  return toBase64(Y.encodeRelativePosition(relative));
}

/** Null when the position cannot be read or its text is gone from the body. */
export function decodePosition(binding: BodyBinding, encoded: string): number | null {
  const bytes = fromBase64(encoded);
  if (!bytes) return null;
  let relative: Y.RelativePosition;
  try {
    relative = Y.decodeRelativePosition(bytes);
  } catch {
    return null;
  }
  try {
    return relativePositionToAbsolutePosition(binding.doc, binding.type, relative, binding.mapping);
  } catch {
    return null;
  }
}

export function encodeRange(binding: BodyBinding, from: number, to: number): EncodedRange {
  return { anchor: encodePosition(binding, from), head: encodePosition(binding, to) };
}

/** The range as ProseMirror positions now; null when its text was deleted (or it is malformed). */
export function decodeRange(
  binding: BodyBinding,
  range: EncodedRange,
): { from: number; to: number } | null {
  const from = decodePosition(binding, range.anchor);
  const to = decodePosition(binding, range.head);
  if (from === null || to === null || to <= from) return null;
  return { from, to };
}
